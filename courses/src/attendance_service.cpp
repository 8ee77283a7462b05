#include "courses/attendance_service.hpp"

#include <set>
#include <string>

#include "access.hpp"
#include "checks.hpp"
#include "courses/error.hpp"
#include "invalid.hpp"

namespace courses {

using detail::inEnumRange;
using detail::requireManages;
using detail::requireStaff;
using detail::throwNotFound;

namespace {

constexpr std::size_t kMaxMarksPerSheet = 1000;
constexpr std::size_t kMaxReportedProblems = 50;

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
  const Session session = manageableSession(repos_, actor, session_id);
  if (marks.size() > kMaxMarksPerSheet) {
    detail::throwInvalid("marks",
                         "must hold at most " + std::to_string(kMaxMarksPerSheet) + " marks");
  }
  std::set<Id> of_cohort;
  for (const Enrolment& e : repos_.enrolments.listForCohort(session.cohort_id)) {
    of_cohort.insert(e.id);
  }
  detail::Problems problems;
  std::set<Id> seen;
  for (std::size_t i = 0; i < marks.size() && problems.size() < kMaxReportedProblems; ++i) {
    const std::string field = "marks[" + std::to_string(i) + "]";
    const AttendanceMark& mark = marks[i];
    if (!of_cohort.contains(mark.enrolment_id)) {
      problems.add(field + ".enrolment_id", "is not an enrolment of this session's cohort");
    } else if (!seen.insert(mark.enrolment_id).second) {
      problems.add(field + ".enrolment_id", "appears more than once");
    }
    if (!inEnumRange(mark.status, AttendanceStatus::present, AttendanceStatus::absent)) {
      problems.add(field + ".status", "must be present, late, excused or absent");
    }
  }
  problems.throwIfAny("attendance sheet");
  repos_.attendance.saveSheet(session_id, marks, actor.account_id);
  return repos_.attendance.sheet(session_id);
}

}  // namespace courses
