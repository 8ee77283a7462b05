#pragma once
// TotalsService: who may read totals and targets (courses/totals.hpp has the counting rules).

#include <vector>

#include "courses/model.hpp"
#include "courses/repositories.hpp"
#include "courses/totals.hpp"

namespace courses {

/// Totals for administrators and trainers (courses/totals.hpp has the counting rules).
class TotalsService {
 public:
  explicit TotalsService(Repositories repos) : repos_(repos) {}

  /// Admins: any programme, all its cohorts, with the programme's targets. Trainers: only the
  /// cohorts they are assigned to, without targets. Learners: Error(forbidden). An unknown
  /// programme is Error(not_found); a bad query Error(invalid_argument).
  TotalsReport totals(const Actor& actor, const TotalsQuery& query);

  /// Admins and trainers read a programme's targets; only admins set them. Each target's measure
  /// must count people or be sessions/participant_hours (not attendance_rate), its value 1..10^9,
  /// its track (if any) a track name, and no (measure, track) pair may appear twice; otherwise
  /// Error(invalid_argument) and nothing changes.
  std::vector<Target> targets(const Actor& actor, Id programme_id);
  std::vector<Target> setTargets(const Actor& actor, Id programme_id, std::vector<Target> targets);

 private:
  Repositories repos_;
};

}  // namespace courses
