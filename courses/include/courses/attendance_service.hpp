#pragma once
// AttendanceService: the attendance sheet of a session, read and marked by admins and the
// cohort's trainers; learners and other trainers get Error(not_found).

#include <vector>

#include "courses/model.hpp"
#include "courses/repositories.hpp"

namespace courses {

class AttendanceService {
 public:
  explicit AttendanceService(Repositories repos) : repos_(repos) {}

  std::vector<SheetRow> sheet(const Actor& actor, Id session_id);
  /// Replaces the marks listed (others stay) in one transaction. Every enrolment must belong to
  /// the session's cohort and appear at most once; otherwise nothing is saved.
  std::vector<SheetRow> saveSheet(const Actor& actor, Id session_id,
                                  const std::vector<AttendanceMark>& marks);

 private:
  Repositories repos_;
};

}  // namespace courses
