#include "access.hpp"

#include <algorithm>
#include <string>
#include <utility>

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

bool manages(const Actor& actor, const std::vector<Id>& trainer_ids) {
  switch (actor.role) {
    case Role::admin:
      return true;
    case Role::trainer:
      return std::find(trainer_ids.begin(), trainer_ids.end(), actor.account_id) !=
             trainer_ids.end();
    case Role::learner:
      return false;
  }
  return false;
}

std::optional<Cohort> managedCohort(Repositories& repos, const Actor& actor, Id cohort_id) {
  if (actor.role == Role::learner) return std::nullopt;
  // find() answers with the cohort's trainers: one call decides.
  auto cohort = repos.cohorts.find(cohort_id);
  if (!cohort || !manages(actor, cohort->trainer_ids)) return std::nullopt;
  return cohort;
}

Cohort requireManages(Repositories& repos, const Actor& actor, Id cohort_id) {
  return requireManages(repos, actor, cohort_id, "cohort", cohort_id);
}

Cohort requireManages(Repositories& repos, const Actor& actor, Id cohort_id, std::string_view what,
                      Id id) {
  requireStaff(actor, "change cohorts");
  auto cohort = managedCohort(repos, actor, cohort_id);
  if (!cohort) throwNotFound(what, id);
  return std::move(*cohort);
}

/// The cohort if the actor may read it: managers, and learners enrolled in it.
Cohort readableCohort(Repositories& repos, const Actor& actor, Id cohort_id) {
  if (actor.role != Role::learner) return requireManages(repos, actor, cohort_id);
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
  // A record merged into another is shown nowhere; administrators still read it (its history
  // says where it went, and a merge is undone from it).
  if (person->merged_into && !actor.isAdmin()) throwNotFound("participant", participant_id);
  if (actor.role == Role::trainer &&
      !repos.participants.isVisibleTo(participant_id, actor.account_id)) {
    throwNotFound("participant", participant_id);
  }
  return *person;
}

}  // namespace courses::detail
