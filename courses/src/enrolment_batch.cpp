#include "courses/enrolment_batch.hpp"

#include <map>
#include <string>
#include <utility>

#include "access.hpp"
#include "invalid.hpp"

namespace courses {

namespace {

BatchRowResult invalidRow(std::vector<FieldProblem> problems) {
  BatchRowResult result;
  result.status = BatchRowStatus::invalid;
  result.errors = std::move(problems);
  return result;
}

}  // namespace

std::string_view toString(BatchRowStatus status) noexcept {
  switch (status) {
    case BatchRowStatus::enrolled:
      return "enrolled";
    case BatchRowStatus::already_enrolled:
      return "already_enrolled";
    case BatchRowStatus::duplicate:
      return "duplicate";
    case BatchRowStatus::invalid:
      break;
  }
  return "invalid";
}

std::vector<BatchRowResult> enrolBatch(ParticipantService& participants,
                                       EnrolmentService& enrolments, const Actor& actor,
                                       Id cohort_id, std::vector<BatchRow> rows, bool dry_run) {
  detail::requireStaff(actor, "enrol participants");
  // Listing the cohort's enrolments is also the access check: a cohort that is not the
  // trainer's is not found, before any row is looked at.
  std::map<Id, Id> enrolled;  // participant -> enrolment
  for (const Enrolment& enrolment : enrolments.list(actor, cohort_id)) {
    enrolled.emplace(enrolment.participant_id, enrolment.id);
  }
  if (rows.size() > kMaxBatchRows) {
    detail::throwInvalid("rows", "must hold at most " + std::to_string(kMaxBatchRows) + " rows");
  }

  std::vector<BatchRowResult> results;
  results.reserve(rows.size());
  for (BatchRow& row : rows) {
    if (!row.problems.empty()) {
      results.push_back(invalidRow(std::move(row.problems)));
      continue;
    }
    BatchRowResult result;
    ParticipantService::Registered registered;
    // A confirmed existing person is linked for this cohort: the link trail says so.
    row.registration.cohort_id = cohort_id;
    try {
      // Every check of the registration comes before its one write, so a row refused here
      // has changed nothing.
      registered = dry_run ? participants.checkRegistration(actor, std::move(row.registration))
                           : participants.registerPerson(actor, std::move(row.registration));
    } catch (const Error& error) {
      if (error.code() == ErrorCode::conflict && !error.candidates.empty()) {
        // Someone registered exactly so who is in the cohort already is this row sent again
        // (an import repeated after a lost answer), not a new question for the trainer.
        for (const DuplicateCandidate& candidate : error.candidates) {
          const auto in_cohort = enrolled.find(candidate.id);
          if (in_cohort == enrolled.end()) continue;
          result.status = BatchRowStatus::already_enrolled;
          result.participant_id = in_cohort->first;
          result.enrolment_id = in_cohort->second;
          break;
        }
        if (result.status != BatchRowStatus::already_enrolled) {
          result.status = BatchRowStatus::duplicate;
          result.candidates = error.candidates;
        }
        results.push_back(std::move(result));
        continue;
      }
      if (error.code() == ErrorCode::invalid_argument || error.code() == ErrorCode::unprocessable) {
        std::vector<FieldProblem> problems = error.fields();
        if (problems.empty()) problems.push_back(FieldProblem{"", error.what()});
        results.push_back(invalidRow(std::move(problems)));
        continue;
      }
      throw;  // storage trouble ends the batch; it is not the row's fault
    }

    const Id person = registered.participant.id;
    if (const auto in_cohort = enrolled.find(person); person != 0 && in_cohort != enrolled.end()) {
      result.status = BatchRowStatus::already_enrolled;
      result.participant_id = person;
      result.enrolment_id = in_cohort->second;
    } else if (dry_run) {
      result.status = BatchRowStatus::enrolled;
      if (person != 0) result.participant_id = person;
    } else {
      const EnrolmentRepository::Created created =
          enrolments.enrol(actor, cohort_id, person, std::nullopt);
      result.status = created.created ? BatchRowStatus::enrolled : BatchRowStatus::already_enrolled;
      result.participant_id = person;
      result.enrolment_id = created.enrolment.id;
      enrolled.emplace(person, created.enrolment.id);
    }
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace courses
