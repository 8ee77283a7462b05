#include "courses/repositories.hpp"

#include "access.hpp"

namespace courses {

std::vector<SheetRow> AttendanceRepository::saveSheet(Id session_id,
                                                      const std::vector<AttendanceMark>& marks,
                                                      Id marked_by) {
  return saveSheet(session_id, marks, marked_by, [&](const std::optional<SheetSession>& session) {
    if (!session) detail::throwNotFound("session", session_id);
    validateSheet(marks, session->enrolment_ids);
  });
}

}  // namespace courses
