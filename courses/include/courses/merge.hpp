#pragma once
// Merging two records of one person (administrators). The record kept takes over the other's
// enrolments, marks, certificates (which keep the name they print: they are snapshots), links,
// access and learner account; the other record is marked merged_into the kept one and is shown
// nowhere. Where both were enrolled in one cohort, the two enrolments become the kept one: the
// other's marks fill the sessions the kept one has no mark for, and where both have different
// marks for one session the administrator chooses (a conflict, never dropped silently); the
// other enrolment is withdrawn, its marks stay stored. Two valid certificates for one cohort are
// a conflict too, resolved by revoking one before the merge. A merge is one transaction and is
// undone from its change (undoable), restoring exactly what it moved.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "courses/change_log.hpp"
#include "courses/model.hpp"
#include "courses/repositories.hpp"

namespace courses {

/// One record as a merge sees it.
struct MergeSide {
  Participant person;
  std::vector<Enrolment> enrolments;                   ///< ordered by id
  std::map<Id, std::map<Id, AttendanceStatus>> marks;  ///< enrolment -> session -> status
  std::vector<Certificate> certificates;               ///< ordered by id
};

/// The administrator's choice for one session both records were marked in differently.
struct MarkChoice {
  Id session_id = 0;
  AttendanceStatus status = AttendanceStatus::absent;
};

/// What a merge cannot decide alone.
struct MergeConflict {
  /// "marks": both enrolled in the cohort with different marks for the session (resolved by a
  /// MarkChoice); "certificates": both hold a valid certificate for the cohort (revoke one
  /// first); "withdrawn": the kept record's enrolment in the cohort is withdrawn while the
  /// other's is not (restore it first, or withdraw the other).
  std::string kind;
  Id cohort_id = 0;
  Id kept_enrolment_id = 0;
  Id other_enrolment_id = 0;
  std::optional<Id> session_id;                 ///< marks
  std::optional<AttendanceStatus> kept_status;  ///< marks
  std::optional<AttendanceStatus> other_status;
  std::vector<Id> certificate_ids;  ///< certificates: the two valid ones
  bool resolved = false;            ///< marks: a choice names the session
};

/// What a merge writes, from both sides and the choices (planMerge).
struct MergePlan {
  /// Other's enrolments in cohorts the kept record is not enrolled in: they become the kept
  /// person's, with their marks and certificates.
  std::vector<Id> moved;
  struct Combined {
    Id cohort_id = 0;
    Id from = 0;  ///< the other's enrolment, withdrawn by the merge
    Id into = 0;  ///< the kept record's enrolment
    /// Marks written to `into`: its old status (nullopt: none) and the new one.
    struct Mark {
      Id session_id = 0;
      std::optional<AttendanceStatus> before;
      AttendanceStatus after = AttendanceStatus::absent;
    };
    std::vector<Mark> marks;
    std::vector<Id> certificates;  ///< the other enrolment's certificates, moved to `into`
  };
  std::vector<Combined> combined;
};

/// The conflicts between two records, each marked resolved when `choices` names its session.
std::vector<MergeConflict> mergeConflicts(const MergeSide& kept, const MergeSide& other,
                                          const std::vector<MarkChoice>& choices = {});
/// The plan of merging `other` into `kept` with `choices`. Error(conflict) naming them when a
/// conflict is unresolved (every one must be: mergeConflicts() lists them), Error(invalid_argument)
/// when a choice names a session that is no conflict or a status neither record has.
MergePlan planMerge(const MergeSide& kept, const MergeSide& other,
                    const std::vector<MarkChoice>& choices);

/// Both records side by side with their conflicts.
struct MergePreview {
  MergeSide kept;
  MergeSide other;
  std::vector<MergeConflict> conflicts;
};

/// What the storage of merges does; the MariaDB one and the test fake implement it.
class MergeRepository {
 public:
  virtual ~MergeRepository() = default;
  /// Every mark of the person's enrolments: enrolment -> session -> status.
  virtual std::map<Id, std::map<Id, AttendanceStatus>> marks(Id participant_id) = 0;
  /// In one transaction: reads both records (locked), refuses with Error(stale) when the other
  /// record's version is not `other_version` (when given), plans the merge with planMerge() on
  /// what it read, writes it with the aggregates of the totals, and records one undoable change
  /// (entity participant `other`, action merged, participant_id `kept`). Returns that change.
  virtual ChangeEntry merge(Id kept, Id other, const std::vector<MarkChoice>& choices,
                            std::optional<int> other_version, const ChangeContext& context) = 0;
  /// Undoes the merge recorded as `change_id` in one transaction, and records it (action
  /// unmerged). Error(not_found) when it is no merge; Error(conflict) when it was undone already
  /// or what it wrote changed since (a mark it wrote was changed, a certificate it moved was
  /// revoked or reissued).
  virtual ChangeEntry unmerge(Id change_id, const ChangeContext& context) = 0;
};

/// Merging, for administrators only (everyone else Error(forbidden)).
class MergeService {
 public:
  MergeService(Repositories repos, MergeRepository& merges) : repos_(repos), merges_(merges) {}

  /// One record as a merge sees it (the person's page shows it too); Error(not_found) for an
  /// unknown or merged record.
  MergeSide side(const Actor& actor, Id participant_id);

  /// Both records side by side with their conflicts. Error(not_found) for an unknown or already
  /// merged record; Error(invalid_argument) when both are one.
  MergePreview preview(const Actor& actor, Id kept, Id other);
  /// Merges `other` into `kept` (see MergeRepository::merge). The reason is optional.
  ChangeEntry merge(const Actor& actor, Id kept, Id other, const std::vector<MarkChoice>& choices,
                    std::optional<int> other_version, std::optional<std::string> reason);
  /// Undoes a merge from its change.
  ChangeEntry undo(const Actor& actor, Id change_id);

 private:
  Repositories repos_;
  MergeRepository& merges_;
};

}  // namespace courses
