#pragma once
// Storage interfaces the services depend on. The MariaDB implementation lives in courses/mariadb;
// in-memory fakes for unit tests live in tests/support. Each method is one transaction: a method
// either applies completely or not at all. Implementations throw Error(unavailable) when storage is
// unreachable and Error(conflict) on unique-key clashes.

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "courses/change_log.hpp"
#include "courses/error.hpp"
#include "courses/model.hpp"
#include "courses/rules.hpp"
#include "courses/totals.hpp"

namespace courses {

class ProgrammeRepository {
 public:
  virtual ~ProgrammeRepository() = default;
  virtual Programme create(const Programme& programme) = 0;  ///< returns it with its new id
  virtual std::optional<Programme> find(Id id) = 0;
  virtual std::vector<Programme> list() = 0;
  /// Stores a validated edit (all but its code) based on `basis.version` (Error(stale) when it
  /// has changed since, Error(not_found) without it) and records the fields it changed.
  virtual Programme update(Id id, const Programme& edited, const EditBasis& basis) = 0;
};

class LocalityRepository {
 public:
  virtual ~LocalityRepository() = default;
  virtual Locality create(const Locality& locality) = 0;
  virtual std::optional<Locality> find(Id id) = 0;
  /// Children of `parent_id`, or the roots when it is empty; ordered by id.
  virtual std::vector<Locality> list(std::optional<Id> parent_id) = 0;
  /// Every locality, ordered by id.
  virtual std::vector<Locality> listAll() = 0;
  /// Stores a validated edit (name, KATO code, parent; not its kind) based on `basis.version`
  /// (Error(stale), Error(not_found)) and records the fields it changed; a KATO code another
  /// locality has is Error(conflict).
  virtual Locality update(Id id, const Locality& edited, const EditBasis& basis) = 0;
};

class CourseRepository {
 public:
  virtual ~CourseRepository() = default;
  virtual Course create(const Course& course) = 0;
  virtual std::optional<Course> find(Id id) = 0;
  virtual std::vector<Course> list(std::optional<Id> programme_id) = 0;
  /// Stores a validated edit of the course (all but its programme) based on `basis.version`
  /// (Error(stale) when it has changed since, Error(not_found) without it) and records the fields
  /// it changed. Nothing when nothing changed. Issued certificates keep their snapshot.
  virtual Course update(Id id, const Course& edited, const EditBasis& basis) = 0;
};

/// Which cohorts a listing may return.
struct CohortFilter {
  std::optional<Id> trainer_account_id;  ///< only cohorts this trainer is assigned to
  std::optional<Id> participant_id;      ///< only cohorts this person is enrolled in
  std::optional<Id> course_id;
};

class CohortRepository {
 public:
  virtual ~CohortRepository() = default;
  /// Creates the cohort with its trainer assignments.
  virtual Cohort create(const Cohort& cohort) = 0;
  virtual std::optional<Cohort> find(Id id) = 0;
  virtual std::vector<Cohort> list(const CohortFilter& filter) = 0;
  virtual bool isTrainerOf(Id cohort_id, Id account_id) = 0;
  /// Stores a validated edit of the cohort (its place, dates, language, locality and trainers,
  /// trainer ids ascending) based on `basis.version` (Error(stale) when it has changed since,
  /// Error(not_found) without it) and records the fields it changed. Nothing when nothing changed.
  virtual Cohort update(Id id, const Cohort& edited, const EditBasis& basis) = 0;

  virtual Session addSession(const Session& session) = 0;
  virtual std::optional<Session> findSession(Id session_id) = 0;
  virtual std::vector<Session> sessions(Id cohort_id) = 0;  ///< ordered by start, cancelled too
  /// Applies a validated patch based on `basis.version` (Error(stale) when the session has changed
  /// since; Error(not_found) without it) and records the fields it changed, its action
  /// kChangeCancelled, kChangeRestored or kChangeEdited. When the session's counting changes
  /// (cancelled, restored, moved, another duration), the totals' aggregates of its cohort are
  /// recounted in the same transaction. A patch that changes nothing changes nothing.
  virtual Session updateSession(Id session_id, const SessionPatch& patch,
                                const EditBasis& basis) = 0;
};

/// A trainer's confirmation that an existing person is the one they register (same_person).
struct ParticipantLink {
  Id account_id = 0;
  std::optional<Id> cohort_id;
  Timestamp linked_at;
};

class ParticipantRepository {
 public:
  virtual ~ParticipantRepository() = default;
  /// Stores a validated person and grants `person.created_by` access to them. Throws
  /// Error(invalid_argument) when their locality (or creator) does not exist.
  virtual Participant create(const Participant& person, const DuplicateKey& key) = 0;
  virtual std::optional<Participant> find(Id id) = 0;
  /// Existing people with this key's match_key and birth year whose locality is the key's, a
  /// sibling of it (the same parent: a neighbouring village) or its parent or child (a village
  /// and its rural district), ordered by id. Records merged into
  /// another one are never found (nor searched, nor listed).
  virtual std::vector<Participant> findByKey(const DuplicateKey& key) = 0;
  /// The people who share their match_key and birth year with another record (the only ones
  /// findByKey can find a duplicate for), ordered by id, at most `limit`.
  virtual std::vector<Participant> sharingKeys(int limit) = 0;
  /// People found by a search for `name_key_fragment` (courses::foundBySearch: their folded name
  /// contains it, or its words begin their name's words however spelled; all when empty),
  /// ordered by id.
  /// With `visible_to` set, only people that account may see (see isVisibleTo).
  virtual Page<Participant> search(const std::string& name_key_fragment,
                                   std::optional<Id> visible_to, const PageRequest& page) = 0;
  /// A trainer may see a person they registered, confirmed as a duplicate, or who is enrolled in
  /// one of their cohorts.
  virtual bool isVisibleTo(Id participant_id, Id account_id) = 0;
  /// Records that `account_id` confirmed this existing person at `at` (grants visibility), with
  /// the cohort they are being enrolled into when known, in the person's link trail (links()).
  virtual void grantAccess(Id participant_id, Id account_id, std::optional<Id> cohort_id,
                           const Timestamp& at) = 0;
  /// Who confirmed this existing person, when, and for which cohort; oldest first.
  virtual std::vector<ParticipantLink> links(Id participant_id) = 0;
  /// Applies a validated patch based on `basis.version` (Error(stale) when the person has changed
  /// since) and records the fields it changed; `key` is the person's de-duplication key after the
  /// patch. A patch that changes nothing changes neither the version nor the history.
  virtual Participant update(Id id, const ParticipantPatch& patch, const DuplicateKey& key,
                             const EditBasis& basis) = 0;
  /// update() on whatever the person is now, by no one in particular (loaders, tests).
  Participant update(Id id, const ParticipantPatch& patch, const DuplicateKey& key) {
    return update(id, patch, key, EditBasis{});
  }
};

class EnrolmentRepository {
 public:
  virtual ~EnrolmentRepository() = default;
  struct Created {
    Enrolment enrolment;
    bool created = false;  ///< false when it existed (same pair, or same idempotency key replayed)
  };
  /// Enrols a person, snapshotting their current demographics in the same transaction. The pair
  /// (participant, cohort) is unique: enrolling again returns the existing enrolment. With an
  /// idempotency key, a replay by the same account returns the first result; the same key with a
  /// different participant or cohort is Error(conflict).
  virtual Created enrol(Id participant_id, Id cohort_id, Id registered_by,
                        const std::optional<std::string>& idempotency_key) = 0;
  virtual std::optional<Enrolment> find(Id id) = 0;
  virtual std::vector<Enrolment> listForCohort(Id cohort_id) = 0;
  virtual std::vector<Enrolment> listForParticipant(Id participant_id) = 0;
  /// Withdraws the enrolment with `reason`, or restores it when `reason` is nullopt, based on
  /// `basis.version` (Error(stale) when it changed since), and records the change with the
  /// person's participant_id, in one transaction that keeps the totals' aggregates to the rule
  /// of courses/totals.hpp (a withdrawn enrolment counts in no measure). Error(not_found) for an
  /// unknown id; Error(conflict) when it is already in that state, or when withdrawing one that
  /// holds a valid certificate (it must be revoked first).
  virtual Enrolment setWithdrawn(Id id, const std::optional<std::string>& reason,
                                 const EditBasis& basis) = 0;
};

/// What AttendanceRepository::saveSheet reads of a session before it writes: what a sheet is
/// checked against.
struct SheetSession {
  Id cohort_id = 0;
  std::vector<Id> trainer_ids;    ///< the cohort's trainers, ascending
  std::vector<Id> enrolment_ids;  ///< the cohort's enrolments, ascending
  bool cancelled = false;         ///< the session is cancelled: its sheet takes no marks
};

class AttendanceRepository {
 public:
  virtual ~AttendanceRepository() = default;
  /// Refuses a sheet by throwing. Called with nullopt when there is no such session. It runs
  /// inside the transaction and must not call a repository.
  using SheetCheck = std::function<void(const std::optional<SheetSession>& session)>;

  /// In one transaction: reads the session (writers of one session's sheet take turns) and hands
  /// it to `check`; when that throws, nothing is written. Otherwise upserts one row per
  /// (enrolment, session), writes an audit row for every status that changed, updates the totals'
  /// aggregates, and answers the sheet as sheet() would after it.
  virtual std::vector<SheetRow> saveSheet(Id session_id, const std::vector<AttendanceMark>& marks,
                                          Id marked_by, const SheetCheck& check) = 0;
  /// saveSheet() checked by validateSheet() alone, on behalf of no actor in particular (loaders,
  /// tests): Error(not_found) without such a session, Error(invalid_argument) for bad marks.
  std::vector<SheetRow> saveSheet(Id session_id, const std::vector<AttendanceMark>& marks,
                                  Id marked_by);
  /// One row per enrolment of the session's cohort, ordered by participant name.
  virtual std::vector<SheetRow> sheet(Id session_id) = 0;
  /// Every mark of the cohort's sessions, grouped by enrolment (enrolments without marks are
  /// absent from the map). One query, for eligibility.
  virtual std::unordered_map<Id, std::vector<AttendanceStatus>> statusesForCohort(Id cohort_id) = 0;
};

/// What the certificate maker returns for one certificate once its serial is known.
struct CertificateArtifacts {
  std::string verification_token;  ///< 128-bit random, base64url
  std::string signature;           ///< Ed25519 over the canonical payload, base64url
  std::string pdf;                 ///< the rendered bytes, stored once and never changed
  std::string etag;                ///< quoted strong ETag of `pdf`
};

/// One line of a certificate's audit trail.
struct CertificateAuditEntry {
  std::string action;  ///< "issued", "issued_with_waiver", "revoked"
  Id account_id = 0;
  Timestamp at;
  std::optional<std::string> reason;
};

class CertificateRepository {
 public:
  virtual ~CertificateRepository() = default;
  using Maker = std::function<CertificateArtifacts(const Certificate&)>;

  /// Issues the drafts in one transaction. For each draft, in order: skips it when its enrolment
  /// already holds a valid certificate; otherwise takes the next number of the draft's series
  /// (`series`, e.g. "LSG-EKZ-IP-2019"; the series' counter row stays locked until commit, so
  /// numbers are gap-free under concurrent issuing), sets `serial`, calls `make` with the completed
  /// draft, stores certificate and PDF and writes an audit row ("issued", or "issued_with_waiver"
  /// with the waiver reason). Returns the stored certificates (ids set), in draft order.
  /// `make` may run again when the transaction is retried.
  virtual std::vector<Certificate> issue(const std::vector<Certificate>& drafts,
                                         const std::vector<std::string>& series,
                                         const Maker& make) = 0;
  virtual std::optional<Certificate> find(Id id) = 0;
  virtual std::optional<Certificate> findBySerial(const std::string& serial) = 0;
  /// Every certificate of the cohort, valid and revoked, ordered by serial.
  virtual std::vector<Certificate> listForCohort(Id cohort_id) = 0;
  /// Every certificate of the person, ordered by id.
  virtual std::vector<Certificate> listForParticipant(Id participant_id) = 0;
  /// The stored PDF bytes.
  virtual std::optional<std::string> pdf(Id id) = 0;
  /// Marks a valid certificate revoked and writes an audit row; Error(conflict) when it is
  /// already revoked, Error(not_found) when unknown.
  virtual Certificate revoke(Id id, const std::string& reason, Id revoked_by,
                             const Timestamp& at) = 0;
  virtual std::vector<CertificateAuditEntry> audit(Id id) = 0;
};

/// An account with the secrets only authentication may read.
struct AccountCredentials {
  Account account;
  std::string password_hash;  ///< empty when no password is set
};

/// One line of an account's audit trail.
struct AccountEvent {
  std::string action;  ///< e.g. kPasswordResetCodeEvent (courses/account_service.hpp)
  Id actor_id = 0;     ///< who did it; 0 for the command line's operator
  Timestamp at;
};

/// What an administrator changes on an account; members left empty stay as they are.
struct AccountChange {
  std::optional<std::string> login;  ///< a new login (validateLogin); a taken one is conflict
  std::optional<std::string> display_name;
  std::optional<bool> disabled;
  std::optional<std::string> password_hash;  ///< a new hash (argon2id), never a password
  /// With password_hash: the session (stored token hash) that made the change and stays open.
  std::optional<std::string> keep_token_hash;
};

class AccountRepository {
 public:
  virtual ~AccountRepository() = default;
  virtual Account create(const Account& account, const std::string& password_hash) = 0;
  virtual std::optional<Account> find(Id id) = 0;
  virtual std::optional<AccountCredentials> findByLogin(const std::string& login) = 0;
  virtual void setPassword(Id id, const std::string& password_hash) = 0;
  virtual void setDisabled(Id id, bool disabled) = 0;
  /// Applies `change` in one transaction and answers the account as it now is; Error(not_found)
  /// for an unknown id. Disabling or a new password deletes the account's tokens (its sessions
  /// end; with a new password, all but `keep_token_hash`); a new password also forgets the
  /// account's failed logins.
  virtual Account update(Id id, const AccountChange& change) = 0;
  /// Accounts in id order, only those of `role` when given (keyset pagination).
  virtual Page<Account> list(std::optional<Role> role, const PageRequest& page) = 0;
  /// Stores the language an account's person chose; Error(not_found) for an unknown id.
  virtual void setLanguage(Id id, Language language) = 0;
  /// Reserves one password check of account `id` from `client`, counted as a failure until
  /// clearLoginAttempts() says it succeeded. Atomic: of any number of concurrent calls at most
  /// `max_attempts` are allowed before the pair is locked. Returns nullopt when the check may be
  /// made, else the time the lock ends. The reservation that reaches `max_attempts` is allowed
  /// and locks the pair until `lock_until`; a lock that has ended (by `now`) starts the count
  /// again.
  virtual std::optional<Timestamp> reserveLoginAttempt(Id id, const std::string& client,
                                                       int max_attempts, const Timestamp& now,
                                                       const Timestamp& lock_until) = 0;
  /// Forgets the failed logins of account `id` from `client` (from every client when nullopt).
  virtual void clearLoginAttempts(Id id, const std::optional<std::string>& client) = 0;
  /// The account's audit trail, oldest first.
  virtual std::vector<AccountEvent> audit(Id id) = 0;

  /// Tokens are stored only as a hash of the token.
  virtual void storeToken(const std::string& token_hash, Id account_id,
                          const Timestamp& expires_at) = 0;
  /// The account behind an unexpired token of an enabled account.
  virtual std::optional<Account> findByToken(const std::string& token_hash,
                                             const Timestamp& now) = 0;
  virtual void deleteToken(const std::string& token_hash) = 0;

  /// The learner account of a person, if they have one.
  virtual std::optional<Account> findByParticipant(Id participant_id) = 0;
  /// Stores the hash of a one-time access code for a learner account, replacing any earlier one.
  /// Without `reset` the code opens the account only while it has no password. With `reset` it
  /// opens it even then, and in the same transaction the account's tokens are deleted (its
  /// sessions end) and `reset` is added to its audit trail.
  virtual void storeAccessCode(Id account_id, const std::string& code_hash,
                               const Timestamp& expires_at,
                               const std::optional<AccountEvent>& reset) = 0;
  /// The enabled account whose unexpired code has this hash, when the code may open it (see
  /// storeAccessCode). In the same transaction the code is deleted, so it works once, the
  /// account's password is cleared, its failed logins forgotten and its earlier tokens deleted:
  /// a code is a reset, after which the learner sets a new password without the old one.
  virtual std::optional<Account> redeemAccessCode(const std::string& code_hash,
                                                  const Timestamp& now) = 0;
};

/// The rows totals are computed from, and the programmes' targets. Reads are exact: they see
/// every committed attendance mark, enrolment and certificate (no cache, no background job).
class TotalsRepository {
 public:
  virtual ~TotalsRepository() = default;
  /// The cohorts of the scope whose sessions (or, without sessions, dates) overlap the period,
  /// their enrolments with the counters of courses/totals.hpp, the scope's courses and programmes,
  /// and every locality. One read transaction (a consistent snapshot).
  virtual TotalsFacts facts(const TotalsScope& scope) = 0;
  /// A programme's targets, ordered by measure then track (the whole programme first).
  virtual std::vector<Target> targets(Id programme_id) = 0;
  /// Replaces all of a programme's targets in one transaction. Error(not_found) for an unknown
  /// programme.
  virtual std::vector<Target> replaceTargets(Id programme_id, const std::vector<Target>& targets) = 0;
};

/// Health of the storage, for readiness probes.
class StorageHealth {
 public:
  virtual ~StorageHealth() = default;
  /// True when a round trip to storage succeeds within `timeout_ms`.
  virtual bool ping(int timeout_ms) = 0;
};

/// Everything the services need, owned by the composition root.
struct Repositories {
  ProgrammeRepository& programmes;
  LocalityRepository& localities;
  CourseRepository& courses;
  CohortRepository& cohorts;
  ParticipantRepository& participants;
  EnrolmentRepository& enrolments;
  AttendanceRepository& attendance;
  AccountRepository& accounts;
  CertificateRepository& certificates;
  TotalsRepository& totals;
  ChangeLogRepository& changes;
};

}  // namespace courses
