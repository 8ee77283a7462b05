#pragma once
// A person's data rights (consent is the legal basis of processing: Kazakhstan's law on personal
// data, and the GDPR for the EU partner): everything held about a person can be exported, a
// person can be erased on request, their consent recorded as withdrawn, and a programme's people
// lose their contacts some years after it ends (retention). What erasure keeps and why is in
// docs/DECISIONS.md; the rules are stated here once and storage applies them in one transaction.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "courses/change_log.hpp"
#include "courses/model.hpp"

namespace courses {

/// The name an erased person's record and certificates carry instead of theirs: a dash, in no
/// language, holding nothing of the person (not even their id, which the record has anyway).
inline constexpr std::string_view kErasedName = "\u2014";
/// The reason every certificate of an erased person is revoked with; the verification page
/// shows it and nothing else of the person.
inline constexpr std::string_view kErasedCertificateReason = "erased at the holder's request";
/// The longest retention a programme may set, in years.
inline constexpr int kMaxRetentionYears = 100;

/// The birth year an erased record keeps: the first year of its decade (1987 -> 1980). The
/// enrolments' snapshots keep the exact year the totals' age bands are computed from.
int generalisedBirthYear(int birth_year) noexcept;

/// Where a person's record stands with respect to their rights.
struct DataRightsState {
  Id participant_id = 0;
  int version = 1;  ///< the person's version (their ETag)
  std::optional<Timestamp> erased_at;
  std::optional<Timestamp> consent_withdrawn_at;
  std::optional<Id> merged_into;
};

/// One attendance mark of a person, for their export.
struct PersonMark {
  Id enrolment_id = 0;
  Id session_id = 0;
  Timestamp session_starts_at;
  std::string topic;
  bool session_cancelled = false;
  AttendanceStatus status = AttendanceStatus::absent;
  Timestamp marked_at;
};

/// What one erasure did.
struct ErasureOutcome {
  DataRightsState state;
  int enrolments_kept = 0;              ///< their snapshots keep what the totals count
  int certificates_revoked = 0;         ///< valid ones, revoked with kErasedCertificateReason
  int certificates_blanked = 0;         ///< every certificate: name replaced, PDF bytes deleted
  std::optional<Id> closed_account_id;  ///< their learner account, closed and its sessions ended
  int history_values_blanked = 0;       ///< old and new values of erased fields in the history
  int access_rows_removed = 0;          ///< trainers' grants of sight of the person
};

/// A programme's retention: contacts (phone, e-mail) of its people are erased this many years
/// after it ends; nullopt keeps them.
struct RetentionSetting {
  Id programme_id = 0;
  std::optional<int> retention_years;
  int version = 1;  ///< the programme's version (its ETag)
};

/// A person whose contacts retention erases: every programme they are enrolled in sets a
/// retention, and the latest end plus its years has passed. Someone still in a programme that keeps
/// contacts (no setting, or not over yet) keeps theirs.
struct RetentionDue {
  Id participant_id = 0;
  Date due_on;  ///< the day their contacts became due for erasure
  std::vector<std::string> programme_codes;
};

class DataRightsRepository {
 public:
  virtual ~DataRightsRepository() = default;
  virtual std::optional<DataRightsState> state(Id participant_id) = 0;
  /// Every attendance mark of the person's enrolments, by session start.
  virtual std::vector<PersonMark> marks(Id participant_id) = 0;
  /// Records that the person's data was exported (kChangeExported; the version is unchanged).
  virtual void recordExport(Id participant_id, const ChangeContext& change) = 0;
  /// Erases the person in one transaction (the rules: docs/DECISIONS.md, "What erasure keeps"):
  /// Error(not_found) for an unknown person, Error(stale) when `basis.version` is not theirs,
  /// Error(conflict) when they are erased already or merged into another record.
  virtual ErasureOutcome erase(Id participant_id, const EditBasis& basis, const Timestamp& now) = 0;
  /// Records the person's consent as withdrawn (consent false, consent_withdrawn_at now), as
  /// erase() checks; Error(conflict) when it is withdrawn already or they are erased.
  virtual DataRightsState withdrawConsent(Id participant_id, const EditBasis& basis,
                                          const Timestamp& now) = 0;
  virtual std::optional<RetentionSetting> retention(Id programme_id) = 0;
  /// Sets a programme's retention based on `basis.version` of the programme.
  virtual RetentionSetting setRetention(Id programme_id, std::optional<int> years,
                                        const EditBasis& basis) = 0;
  /// People with a phone or e-mail whose contacts are due for erasure on `today`, by id.
  virtual std::vector<RetentionDue> dueForRetention(const Date& today) = 0;
  /// Erases the person's phone and e-mail (and their old values in the history) when they still
  /// have one and are still due on `today`; false when nothing was left to erase.
  virtual bool eraseContacts(Id participant_id, const Date& today, const ChangeContext& change) = 0;
};

}  // namespace courses
