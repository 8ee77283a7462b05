#pragma once
// Private: who may see and change what, shared by the services. Something an actor may not know
// exists is Error(not_found); something their role may never do is Error(forbidden).

#include <optional>
#include <string_view>
#include <vector>

#include "courses/model.hpp"
#include "courses/repositories.hpp"

namespace courses::detail {

/// Throws Error(not_found) reading "<what> <id> was not found".
[[noreturn]] void throwNotFound(std::string_view what, Id id);

/// Throws Error(forbidden) unless the actor is an administrator.
void requireAdmin(const Actor& actor, std::string_view action);

/// Admins and trainers write; learners only read their own records: throws Error(forbidden) for
/// a learner.
void requireStaff(const Actor& actor, std::string_view action);

/// Whether the actor manages a cohort run by `trainer_ids`: an admin every cohort, a trainer the
/// cohorts they are assigned to, a learner none. The rule itself; the functions below apply it.
bool manages(const Actor& actor, const std::vector<Id>& trainer_ids);

/// The cohort when the actor manages it, read with one repository call; nullopt when there is no
/// such cohort or the actor does not manage it.
std::optional<Cohort> managedCohort(Repositories& repos, const Actor& actor, Id cohort_id);

/// The cohort if the actor may manage it (admin, or a trainer assigned to it). Learners may never
/// manage (forbidden); anyone else learns nothing about cohorts that are not theirs (not_found
/// "cohort <id>", or "<what> <id>" naming what the request named, e.g. an enrolment).
Cohort requireManages(Repositories& repos, const Actor& actor, Id cohort_id);
Cohort requireManages(Repositories& repos, const Actor& actor, Id cohort_id, std::string_view what,
                      Id id);

/// The cohort if the actor may read it: those who may manage it, and learners enrolled in it;
/// anyone else Error(not_found).
Cohort readableCohort(Repositories& repos, const Actor& actor, Id cohort_id);

/// The person if the actor may see them: admins all, trainers those visible to them, learners
/// only themselves; else Error(not_found).
Participant visibleParticipant(Repositories& repos, const Actor& actor, Id participant_id);

}  // namespace courses::detail
