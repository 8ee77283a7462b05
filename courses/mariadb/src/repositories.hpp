#pragma once
// The MariaDB implementations of courses/repositories.hpp. Each public method is one transaction
// run by the TransactionRunner, so it applies completely or not at all and is retried as a whole.

#include "courses/merge.hpp"
#include "courses/repositories.hpp"
#include "transaction.hpp"

namespace courses::mariadb {

// Readers of whole rows shared by the repositories: "SELECT <columns> FROM <table> <tail>" and the
// value of one row of it.
std::string programmeSelect(std::string_view tail);
Programme programmeFrom(const Row& row);
std::string courseSelect(std::string_view tail);
Course courseFrom(const Row& row);
std::string localitySelect(std::string_view tail);
Locality localityFrom(const Row& row);

/// A change as a repository records it, in the transaction that makes it (courses/change_log.hpp).
struct RecordedChange {
  Entity entity = Entity::participant;
  Id entity_id = 0;
  int version = 0;  ///< the entity's version after the change
  std::string action;
  ChangeContext context;
  std::vector<FieldChange> fields;
  std::optional<Id> participant_id;  ///< the person the change concerns, if any
  std::string undo;                  ///< JSON text; empty when it cannot be undone
};

/// Writes `change` with its fields in `tx`; answers the change's id.
Id recordChange(Tx& tx, const RecordedChange& change);

// The totals' aggregates kept to the totals views by a correction, in its transaction
// (aggregates.cpp). A correction that changes what a cohort's marks count locks the cohort's
// sessions first (the order an attendance sheet locks in), changes the raw rows, then recounts.
void lockCohortSessions(Tx& tx, Id cohort_id);
/// The totals' aggregates of one cohort (its sessions' attended marks, its enrolments' counters,
/// its own counters) as the totals views count them from the raw rows: after a correction that
/// changes what the cohort's sessions or enrolments count.
void recountCohort(Tx& tx, Id cohort_id);
/// The enrolment's enrolment_facts row as the view gives it (none when it counts in no measure).
void refreshEnrolmentFacts(Tx& tx, Id enrolment_id);

class SqlChangeLogRepository final : public ChangeLogRepository {
 public:
  explicit SqlChangeLogRepository(TransactionRunner& runner) : runner_(runner) {}
  Page<ChangeEntry> history(Entity entity, Id entity_id, const PageRequest& page) override;
  Page<ChangeEntry> personHistory(Id participant_id, const PageRequest& page) override;
  std::vector<ChangeEntry> since(Entity entity, Id entity_id, int version) override;
  std::optional<ChangeEntry> find(Id change_id) override;

 private:
  TransactionRunner& runner_;
};

class SqlMergeRepository final : public MergeRepository {
 public:
  SqlMergeRepository(TransactionRunner& runner, SqlChangeLogRepository& changes)
      : runner_(runner), changes_(changes) {}
  std::map<Id, std::map<Id, AttendanceStatus>> marks(Id participant_id) override;
  ChangeEntry merge(Id kept, Id other, const std::vector<MarkChoice>& choices,
                    std::optional<int> other_version, const ChangeContext& context) override;
  ChangeEntry unmerge(Id change_id, const ChangeContext& context) override;

 private:
  TransactionRunner& runner_;
  SqlChangeLogRepository& changes_;
};

class SqlProgrammeRepository final : public ProgrammeRepository {
 public:
  explicit SqlProgrammeRepository(TransactionRunner& runner) : runner_(runner) {}
  Programme create(const Programme& programme) override;
  std::optional<Programme> find(Id id) override;
  std::vector<Programme> list() override;

  Programme update(Id id, const Programme& edited, const EditBasis& basis) override;

 private:
  TransactionRunner& runner_;
};

class SqlLocalityRepository final : public LocalityRepository {
 public:
  explicit SqlLocalityRepository(TransactionRunner& runner) : runner_(runner) {}
  Locality create(const Locality& locality) override;
  std::optional<Locality> find(Id id) override;
  std::vector<Locality> list(std::optional<Id> parent_id) override;
  std::vector<Locality> listAll() override;

  Locality update(Id id, const Locality& edited, const EditBasis& basis) override;

 private:
  TransactionRunner& runner_;
};

class SqlCourseRepository final : public CourseRepository {
 public:
  explicit SqlCourseRepository(TransactionRunner& runner) : runner_(runner) {}
  Course create(const Course& course) override;
  std::optional<Course> find(Id id) override;
  std::vector<Course> list(std::optional<Id> programme_id) override;
  Course update(Id id, const Course& edited, const EditBasis& basis) override;

 private:
  TransactionRunner& runner_;
};

class SqlCohortRepository final : public CohortRepository {
 public:
  explicit SqlCohortRepository(TransactionRunner& runner) : runner_(runner) {}
  Cohort create(const Cohort& cohort) override;
  std::optional<Cohort> find(Id id) override;
  std::vector<Cohort> list(const CohortFilter& filter) override;
  bool isTrainerOf(Id cohort_id, Id account_id) override;
  Cohort update(Id id, const Cohort& edited, const EditBasis& basis) override;
  Session addSession(const Session& session) override;
  std::optional<Session> findSession(Id session_id) override;
  std::vector<Session> sessions(Id cohort_id) override;
  Session updateSession(Id session_id, const SessionPatch& patch, const EditBasis& basis) override;

 private:
  TransactionRunner& runner_;
};

class SqlParticipantRepository final : public ParticipantRepository {
 public:
  explicit SqlParticipantRepository(TransactionRunner& runner) : runner_(runner) {}
  Participant create(const Participant& person, const DuplicateKey& key) override;
  std::optional<Participant> find(Id id) override;
  std::vector<Participant> findByKey(const DuplicateKey& key) override;
  std::vector<Participant> sharingKeys(int limit) override;
  Page<Participant> search(const std::string& name_key_fragment, std::optional<Id> visible_to,
                           const PageRequest& page) override;
  bool isVisibleTo(Id participant_id, Id account_id) override;
  void grantAccess(Id participant_id, Id account_id, std::optional<Id> cohort_id,
                   const Timestamp& at) override;
  std::vector<ParticipantLink> links(Id participant_id) override;
  using ParticipantRepository::update;
  Participant update(Id id, const ParticipantPatch& patch, const DuplicateKey& key,
                     const EditBasis& basis) override;

 private:
  TransactionRunner& runner_;
};

class SqlEnrolmentRepository final : public EnrolmentRepository {
 public:
  explicit SqlEnrolmentRepository(TransactionRunner& runner) : runner_(runner) {}
  Created enrol(Id participant_id, Id cohort_id, Id registered_by,
                const std::optional<std::string>& idempotency_key) override;
  std::optional<Enrolment> find(Id id) override;
  std::vector<Enrolment> listForCohort(Id cohort_id) override;
  std::vector<Enrolment> listForParticipant(Id participant_id) override;
  Enrolment setWithdrawn(Id id, const std::optional<std::string>& reason,
                         const EditBasis& basis) override;

 private:
  TransactionRunner& runner_;
};

class SqlAttendanceRepository final : public AttendanceRepository {
 public:
  explicit SqlAttendanceRepository(TransactionRunner& runner) : runner_(runner) {}
  using AttendanceRepository::saveSheet;
  std::vector<SheetRow> saveSheet(Id session_id, const std::vector<AttendanceMark>& marks,
                                  Id marked_by, const SheetCheck& check) override;
  std::vector<SheetRow> sheet(Id session_id) override;
  std::unordered_map<Id, std::vector<AttendanceStatus>> statusesForCohort(Id cohort_id) override;

 private:
  TransactionRunner& runner_;
};

class SqlAccountRepository final : public AccountRepository {
 public:
  explicit SqlAccountRepository(TransactionRunner& runner) : runner_(runner) {}
  Account create(const Account& account, const std::string& password_hash) override;
  std::optional<Account> find(Id id) override;
  std::optional<AccountCredentials> findByLogin(const std::string& login) override;
  void setPassword(Id id, const std::string& password_hash) override;
  void setDisabled(Id id, bool disabled) override;
  Account update(Id id, const AccountChange& change) override;
  Page<Account> list(std::optional<Role> role, const PageRequest& page) override;
  void setLanguage(Id id, Language language) override;
  std::optional<Timestamp> reserveLoginAttempt(Id id, const std::string& client, int max_attempts,
                                               const Timestamp& now,
                                               const Timestamp& lock_until) override;
  void clearLoginAttempts(Id id, const std::optional<std::string>& client) override;
  std::vector<AccountEvent> audit(Id id) override;
  void storeToken(const std::string& token_hash, Id account_id,
                  const Timestamp& expires_at) override;
  std::optional<Account> findByToken(const std::string& token_hash, const Timestamp& now) override;
  void deleteToken(const std::string& token_hash) override;
  std::optional<Account> findByParticipant(Id participant_id) override;
  void storeAccessCode(Id account_id, const std::string& code_hash, const Timestamp& expires_at,
                       const std::optional<AccountEvent>& reset) override;
  std::optional<Account> redeemAccessCode(const std::string& code_hash,
                                          const Timestamp& now) override;

 private:
  TransactionRunner& runner_;
};

class SqlCertificateRepository final : public CertificateRepository {
 public:
  explicit SqlCertificateRepository(TransactionRunner& runner) : runner_(runner) {}
  std::vector<Certificate> issue(const std::vector<Certificate>& drafts,
                                 const std::vector<std::string>& series,
                                 const Maker& make) override;
  std::optional<Certificate> find(Id id) override;
  std::optional<Certificate> findBySerial(const std::string& serial) override;
  std::vector<Certificate> listForCohort(Id cohort_id) override;
  std::vector<Certificate> listForParticipant(Id participant_id) override;
  std::optional<std::string> pdf(Id id) override;
  Certificate revoke(Id id, const std::string& reason, Id revoked_by, const Timestamp& at) override;
  std::vector<CertificateAuditEntry> audit(Id id) override;

 private:
  TransactionRunner& runner_;
};

class SqlTotalsRepository final : public TotalsRepository {
 public:
  explicit SqlTotalsRepository(TransactionRunner& runner) : runner_(runner) {}
  TotalsFacts facts(const TotalsScope& scope) override;
  std::vector<Target> targets(Id programme_id) override;
  std::vector<Target> replaceTargets(Id programme_id, const std::vector<Target>& targets) override;

 private:
  TransactionRunner& runner_;
};

}  // namespace courses::mariadb
