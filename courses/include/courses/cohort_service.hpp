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
  /// Edits a cohort's place, dates, language and locality (admins and its trainers) and its
  /// trainers (admins only: Error(forbidden) for a trainer), based on `version` (nullopt: whatever
  /// it is now). Its course stays.
  Cohort update(const Actor& actor, Id id, Cohort edited, std::optional<int> version);

  Session addSession(const Actor& actor, Session session);
  std::vector<Session> sessions(const Actor& actor, Id cohort_id);
  /// One session, for whoever may read its cohort (learners enrolled in it too).
  Session findSession(const Actor& actor, Id session_id);
  /// Moves, re-times or re-titles a session, cancels it with a reason (1–500 characters) or
  /// restores it: admins and the cohort's trainers, based on `version` (nullopt: whatever it is
  /// now). A cancelled session is not held (model.hpp, SessionCancellation); the totals'
  /// aggregates follow in the same transaction.
  Session updateSession(const Actor& actor, Id session_id, SessionPatch patch,
                        std::optional<int> version);

 private:
  Repositories repos_;
};

}  // namespace courses
