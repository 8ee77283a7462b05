#include "access.hpp"

#include <algorithm>
#include <string>

#include "courses/error.hpp"

namespace courses::detail {

namespace {

bool learnerIsEnrolledIn(Repositories& repos, const Actor& actor, Id cohort_id) {
  if (!actor.participant_id) return false;
  const auto enrolments = repos.enrolments.listForParticipant(*actor.participant_id);
  return std::any_of(enrolments.begin(), enrolments.end(),
                     [&](const Enrolment& e) { return e.cohort_id == cohort_id; });
}

}  // namespace

[[noreturn]] void throwNotFound(std::string_view what, Id id) {
  throw Error(ErrorCode::not_found,
              std::string(what) + " " + std::to_string(id) + " was not found");
}

void requireAdmin(const Actor& actor, std::string_view action) {
  if (!actor.isAdmin()) {
    throw Error(ErrorCode::forbidden, "only an administrator may " + std::string(action));
  }
}

void requireStaff(const Actor& actor, std::string_view action) {
  if (actor.role != Role::admin && actor.role != Role::trainer) {
    throw Error(ErrorCode::forbidden, "a learner may not " + std::string(action));
  }
}

Cohort manageableCohort(Repositories& repos, const Actor& actor, Id cohort_id) {
  requireStaff(actor, "change cohorts");
  auto cohort = repos.cohorts.find(cohort_id);
  if (!cohort) throwNotFound("cohort", cohort_id);
  if (!actor.isAdmin() && !repos.cohorts.isTrainerOf(cohort_id, actor.account_id)) {
    throwNotFound("cohort", cohort_id);
  }
  return *cohort;
}

/// The cohort if the actor may read it: managers, and learners enrolled in it.
Cohort readableCohort(Repositories& repos, const Actor& actor, Id cohort_id) {
  if (actor.role != Role::learner) return manageableCohort(repos, actor, cohort_id);
  auto cohort = repos.cohorts.find(cohort_id);
  if (!cohort || !learnerIsEnrolledIn(repos, actor, cohort_id)) throwNotFound("cohort", cohort_id);
  return *cohort;
}

Participant visibleParticipant(Repositories& repos, const Actor& actor, Id participant_id) {
  if (actor.role == Role::learner && actor.participant_id != participant_id) {
    throwNotFound("participant", participant_id);
  }
  auto person = repos.participants.find(participant_id);
  if (!person) throwNotFound("participant", participant_id);
  if (actor.role == Role::trainer &&
      !repos.participants.isVisibleTo(participant_id, actor.account_id)) {
    throwNotFound("participant", participant_id);
  }
  return *person;
}

}  // namespace courses::detail
