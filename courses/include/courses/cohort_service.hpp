#pragma once
// CohortService: cohorts and their sessions. Admins see every cohort, trainers the cohorts they
// are assigned to, learners those they are enrolled in; a cohort an actor may not see is
// Error(not_found), a write a learner may never make Error(forbidden).

#include <optional>
#include <vector>

#include "courses/model.hpp"
#include "courses/repositories.hpp"

namespace courses {

/// Cohorts and their sessions.
class CohortService {
 public:
  explicit CohortService(Repositories repos) : repos_(repos) {}

  /// Admins assign any trainers; a trainer creating a cohort is assigned to it.
  Cohort create(const Actor& actor, Cohort cohort);
  /// Admin: all; trainer: theirs; learner: those they are enrolled in.
  std::vector<Cohort> list(const Actor& actor, std::optional<Id> course_id);
  Cohort find(const Actor& actor, Id id);

  Session addSession(const Actor& actor, Session session);
  std::vector<Session> sessions(const Actor& actor, Id cohort_id);

 private:
  Repositories repos_;
};

}  // namespace courses
