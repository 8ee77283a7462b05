#include "courses/attendance_service.hpp"

#include <string>

#include "access.hpp"
#include "courses/error.hpp"
#include "courses/rules.hpp"

namespace courses {

using detail::manages;
using detail::requireManages;
using detail::requireStaff;
using detail::throwNotFound;

namespace {

/// The session if the actor may manage its cohort; learners never see a sheet of other people.
Session manageableSession(Repositories& repos, const Actor& actor, Id session_id) {
  if (actor.role == Role::learner) throwNotFound("session", session_id);
  auto session = repos.cohorts.findSession(session_id);
  if (!session) throwNotFound("session", session_id);
  requireManages(repos, actor, session->cohort_id, "session", session_id);
  return *session;
}

}  // namespace

std::vector<SheetRow> AttendanceService::sheet(const Actor& actor, Id session_id) {
  manageableSession(repos_, actor, session_id);
  return repos_.attendance.sheet(session_id);
}

std::vector<SheetRow> AttendanceService::saveSheet(const Actor& actor, Id session_id,
                                                   const std::vector<AttendanceMark>& marks) {
  requireStaff(actor, "mark attendance");
  // Checked against the session as the saving transaction reads it: one transaction per sheet,
  // and no enrolment can join or leave the cohort between the check and the write.
  return repos_.attendance.saveSheet(session_id, marks, actor.account_id,
                                     [&](const std::optional<SheetSession>& session) {
                                       if (!session || !manages(actor, session->trainer_ids))
                                         throwNotFound("session", session_id);
                                       if (session->cancelled) {
                                         throw Error(ErrorCode::conflict,
                                                     "session " + std::to_string(session_id) +
                                                         " is cancelled: its sheet takes no "
                                                         "marks unless it is restored");
                                       }
                                       validateSheet(marks, session->enrolment_ids);
                                     });
}

}  // namespace courses
