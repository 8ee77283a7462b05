#include "courses/merge.hpp"

#include <algorithm>
#include <set>

#include "access.hpp"
#include "checks.hpp"
#include "courses/error.hpp"
#include "invalid.hpp"

namespace courses {
namespace {

const Enrolment* inCohort(const MergeSide& side, Id cohort_id) {
  for (const Enrolment& e : side.enrolments) {
    if (e.cohort_id == cohort_id) return &e;
  }
  return nullptr;
}

const std::map<Id, AttendanceStatus>& marksOf(const MergeSide& side, Id enrolment_id) {
  static const std::map<Id, AttendanceStatus> kNone;
  const auto it = side.marks.find(enrolment_id);
  return it == side.marks.end() ? kNone : it->second;
}

std::vector<Id> validCertificates(const MergeSide& side, Id enrolment_id) {
  std::vector<Id> out;
  for (const Certificate& c : side.certificates) {
    if (c.enrolment_id == enrolment_id && c.status == CertificateStatus::valid) out.push_back(c.id);
  }
  return out;
}

const MarkChoice* choiceFor(const std::vector<MarkChoice>& choices, Id session_id) {
  for (const MarkChoice& choice : choices) {
    if (choice.session_id == session_id) return &choice;
  }
  return nullptr;
}

}  // namespace

std::vector<MergeConflict> mergeConflicts(const MergeSide& kept, const MergeSide& other,
                                          const std::vector<MarkChoice>& choices) {
  std::vector<MergeConflict> out;
  for (const Enrolment& from : other.enrolments) {
    const Enrolment* into = inCohort(kept, from.cohort_id);
    if (into == nullptr || from.withdrawn) continue;  // moved whole, or left withdrawn
    MergeConflict base;
    base.cohort_id = from.cohort_id;
    base.kept_enrolment_id = into->id;
    base.other_enrolment_id = from.id;
    if (into->withdrawn) {
      MergeConflict conflict = base;
      conflict.kind = "withdrawn";
      out.push_back(std::move(conflict));
      continue;
    }
    const auto& kept_marks = marksOf(kept, into->id);
    for (const auto& [session_id, status] : marksOf(other, from.id)) {
      const auto mine = kept_marks.find(session_id);
      if (mine == kept_marks.end() || mine->second == status) continue;
      MergeConflict conflict = base;
      conflict.kind = "marks";
      conflict.session_id = session_id;
      conflict.kept_status = mine->second;
      conflict.other_status = status;
      conflict.resolved = choiceFor(choices, session_id) != nullptr;
      out.push_back(std::move(conflict));
    }
    const std::vector<Id> mine = validCertificates(kept, into->id);
    const std::vector<Id> theirs = validCertificates(other, from.id);
    if (!mine.empty() && !theirs.empty()) {
      MergeConflict conflict = base;
      conflict.kind = "certificates";
      conflict.certificate_ids = mine;
      conflict.certificate_ids.insert(conflict.certificate_ids.end(), theirs.begin(), theirs.end());
      out.push_back(std::move(conflict));
    }
  }
  return out;
}

MergePlan planMerge(const MergeSide& kept, const MergeSide& other,
                    const std::vector<MarkChoice>& choices) {
  const std::vector<MergeConflict> conflicts = mergeConflicts(kept, other, choices);
  // Every choice must answer a conflict, with one of the two statuses: a typo never writes a
  // mark nobody saw.
  detail::Problems problems;
  std::set<Id> chosen;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    const MarkChoice& choice = choices[i];
    const std::string field = "marks[" + std::to_string(i) + "]";
    if (!chosen.insert(choice.session_id).second) {
      problems.add(field + ".session_id", "names a session twice");
      continue;
    }
    const auto conflict = std::find_if(conflicts.begin(), conflicts.end(), [&](const auto& c) {
      return c.kind == "marks" && c.session_id == choice.session_id;
    });
    if (conflict == conflicts.end()) {
      problems.add(field + ".session_id", "names no conflicting mark of the two records");
    } else if (choice.status != conflict->kept_status && choice.status != conflict->other_status) {
      problems.add(field + ".status", "must be one of the two records' marks");
    }
  }
  problems.throwIfAny("merge");
  std::string unresolved;
  for (const MergeConflict& c : conflicts) {
    if (c.resolved) continue;
    unresolved += unresolved.empty() ? "" : "; ";
    unresolved += c.kind + " in cohort " + std::to_string(c.cohort_id);
    if (c.session_id) unresolved += ", session " + std::to_string(*c.session_id);
  }
  if (!unresolved.empty()) {
    throw Error(ErrorCode::conflict, "the merge leaves conflicts unresolved: " + unresolved);
  }

  MergePlan plan;
  for (const Enrolment& from : other.enrolments) {
    const Enrolment* into = inCohort(kept, from.cohort_id);
    if (into == nullptr) {
      plan.moved.push_back(from.id);
      continue;
    }
    if (from.withdrawn) continue;  // stays the merged record's, withdrawn
    MergePlan::Combined combined;
    combined.cohort_id = from.cohort_id;
    combined.from = from.id;
    combined.into = into->id;
    const auto& kept_marks = marksOf(kept, into->id);
    for (const auto& [session_id, status] : marksOf(other, from.id)) {
      const auto mine = kept_marks.find(session_id);
      std::optional<AttendanceStatus> before;
      if (mine != kept_marks.end()) before = mine->second;
      AttendanceStatus after = status;
      if (before && *before != status) after = choiceFor(choices, session_id)->status;
      if (before == after) continue;
      combined.marks.push_back({session_id, before, after});
    }
    for (const Certificate& c : other.certificates) {
      if (c.enrolment_id == from.id) combined.certificates.push_back(c.id);
    }
    plan.combined.push_back(std::move(combined));
  }
  return plan;
}

MergeSide MergeService::side(const Actor& actor, Id participant_id) {
  detail::requireAdmin(actor, "merge records");
  auto person = repos_.participants.find(participant_id);
  if (!person || person->merged_into) detail::throwNotFound("participant", participant_id);
  MergeSide side;
  side.person = std::move(*person);
  side.enrolments = repos_.enrolments.listForParticipant(participant_id);
  side.marks = merges_.marks(participant_id);
  side.certificates = repos_.certificates.listForParticipant(participant_id);
  return side;
}

MergePreview MergeService::preview(const Actor& actor, Id kept, Id other) {
  detail::requireAdmin(actor, "merge records");
  if (kept == other) detail::throwInvalid("other", "must be another record than the one kept");
  MergePreview preview{side(actor, kept), side(actor, other), {}};
  preview.conflicts = mergeConflicts(preview.kept, preview.other);
  return preview;
}

ChangeEntry MergeService::merge(const Actor& actor, Id kept, Id other,
                                const std::vector<MarkChoice>& choices,
                                std::optional<int> other_version,
                                std::optional<std::string> reason) {
  detail::requireAdmin(actor, "merge records");
  if (kept == other) detail::throwInvalid("other", "must be another record than the one kept");
  if (reason) *reason = detail::checkedReason(*reason, "reason");
  return merges_.merge(kept, other, choices, other_version,
                       ChangeContext{.account_id = actor.account_id, .reason = reason});
}

ChangeEntry MergeService::undo(const Actor& actor, Id change_id) {
  detail::requireAdmin(actor, "undo a merge");
  return merges_.unmerge(change_id, ChangeContext{.account_id = actor.account_id, .reason = {}});
}

}  // namespace courses
