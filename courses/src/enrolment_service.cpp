#include "courses/enrolment_service.hpp"

#include <string>

#include "access.hpp"
#include "checks.hpp"
#include "courses/error.hpp"
#include "invalid.hpp"

namespace courses {

using detail::checkedReason;
using detail::matchesPattern;
using detail::readableCohort;
using detail::requireManages;
using detail::requireStaff;
using detail::visibleParticipant;

namespace {

constexpr std::size_t kMaxIdempotencyKey = 128;

bool isIdempotencyKeyChar(char c) {
  return c > ' ' && c < 0x7F;
}

}  // namespace

EnrolmentRepository::Created EnrolmentService::enrol(
    const Actor& actor, Id cohort_id, Id participant_id,
    const std::optional<std::string>& idempotency_key) {
  requireStaff(actor, "enrol participants");
  requireManages(repos_, actor, cohort_id);
  visibleParticipant(repos_, actor, participant_id);
  if (idempotency_key &&
      !matchesPattern(*idempotency_key, 1, kMaxIdempotencyKey, isIdempotencyKeyChar)) {
    detail::throwInvalid("idempotency_key",
                         "must be 1 to 128 visible ASCII characters without spaces");
  }
  return repos_.enrolments.enrol(participant_id, cohort_id, actor.account_id, idempotency_key);
}

std::vector<Enrolment> EnrolmentService::list(const Actor& actor, Id cohort_id) {
  readableCohort(repos_, actor, cohort_id);
  std::vector<Enrolment> enrolments = repos_.enrolments.listForCohort(cohort_id);
  if (actor.role == Role::learner) {
    // A learner sees only their own enrolment, never the other people in the room.
    std::erase_if(enrolments,
                  [&](const Enrolment& e) { return e.participant_id != actor.participant_id; });
  }
  return enrolments;
}

Enrolment EnrolmentService::find(const Actor& actor, Id enrolment_id) {
  requireStaff(actor, "read an enrolment");
  auto enrolment = repos_.enrolments.find(enrolment_id);
  if (!enrolment) detail::throwNotFound("enrolment", enrolment_id);
  requireManages(repos_, actor, enrolment->cohort_id, "enrolment", enrolment_id);
  return std::move(*enrolment);
}

Enrolment EnrolmentService::setWithdrawn(const Actor& actor, Id enrolment_id,
                                         std::optional<std::string> reason,
                                         std::optional<int> version) {
  // Access first, so that a stale version never tells anyone else the enrolment exists.
  find(actor, enrolment_id);
  if (reason) *reason = checkedReason(*reason, "withdrawn.reason");
  return repos_.enrolments.setWithdrawn(
      enrolment_id, reason,
      EditBasis{.version = version, .change = {.account_id = actor.account_id, .reason = {}}});
}

}  // namespace courses
