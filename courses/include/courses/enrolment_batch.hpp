#pragma once
// Registering and enrolling many people into one cohort at once (a CSV import). Each row is
// registered as ParticipantService::registerPerson would (the same checks and the same duplicate
// detection) and enrolled as EnrolmentService::enrol would; a row that fails changes nothing and
// does not stop the others.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "courses/enrolment_service.hpp"
#include "courses/error.hpp"
#include "courses/model.hpp"
#include "courses/participant_service.hpp"

namespace courses {

/// The most rows one batch may hold.
inline constexpr std::size_t kMaxBatchRows = 500;

/// What became of one row.
enum class BatchRowStatus {
  enrolled,          ///< registered (or confirmed) and enrolled; in a dry run: would be
  already_enrolled,  ///< the person (confirmed, or the one registered exactly so) is enrolled
  duplicate,         ///< likely someone already registered: see candidates; confirm to go on
  invalid,           ///< a field is wrong: see errors
};

/// "enrolled", "already_enrolled", "duplicate" or "invalid".
std::string_view toString(BatchRowStatus status) noexcept;

/// One row to register and enrol: a registration (its `not_duplicate` is the row's confirmation
/// that this is a new person), or the problems found while reading it.
struct BatchRow {
  ParticipantService::Registration registration;
  std::vector<FieldProblem> problems;  ///< not empty: the row could not be read
};

struct BatchRowResult {
  BatchRowStatus status = BatchRowStatus::invalid;
  std::optional<Id> participant_id;            ///< enrolled, already_enrolled (not a new
                                               ///< person in a dry run)
  std::optional<Id> enrolment_id;              ///< enrolled, already_enrolled (not in a dry run)
  std::vector<FieldProblem> errors;            ///< invalid
  std::vector<DuplicateCandidate> candidates;  ///< duplicate
};

/// Registers and enrols `rows` into the cohort, in order, each row on its own: a registration
/// and an enrolment, with every check made before the first write. With `dry_run` nothing is
/// written: the rows are checked and looked up for duplicates only. Admins and the cohort's
/// trainers; a learner gets Error(forbidden), another trainer Error(not_found); more than
/// kMaxBatchRows rows is Error(invalid_argument) naming "rows". A storage failure
/// (Error(unavailable)) ends the batch: the rows before it stay done.
std::vector<BatchRowResult> enrolBatch(ParticipantService& participants,
                                       EnrolmentService& enrolments, const Actor& actor,
                                       Id cohort_id, std::vector<BatchRow> rows, bool dry_run);

}  // namespace courses
