#pragma once
// Private: who may see and change what, shared by the services. Something an actor may not know
// exists is Error(not_found); something their role may never do is Error(forbidden).

#include <string_view>

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

/// The cohort if the actor may manage it (admin, or a trainer assigned to it). Learners may never
/// manage (forbidden); anyone else learns nothing about cohorts that are not theirs (not_found).
Cohort manageableCohort(Repositories& repos, const Actor& actor, Id cohort_id);

/// The cohort if the actor may read it: those who may manage it, and learners enrolled in it;
/// anyone else Error(not_found).
Cohort readableCohort(Repositories& repos, const Actor& actor, Id cohort_id);

/// The person if the actor may see them: admins all, trainers those visible to them, learners
/// only themselves; else Error(not_found).
Participant visibleParticipant(Repositories& repos, const Actor& actor, Id participant_id);

}  // namespace courses::detail
