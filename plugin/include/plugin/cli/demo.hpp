#pragma once
// Demo data telling the story of the programme the service was made for, with invented people.
// Built in two steps: buildDemoPlan() is a pure, deterministic function producing every record
// (unit-tested without a database); loadDemoPlan() writes a plan through the domain services.

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "courses/model.hpp"
#include "courses/repositories.hpp"
#include "courses/services.hpp"
#include "courses/totals.hpp"

namespace plugin::cli {

/// The demo learner's login: while this account is in the database and not disabled, the demo is
/// loaded (qatysu-server shows the login page's demo note only then).
inline constexpr std::string_view kDemoLearnerLogin = "learner.demo";

/// A locality of the plan; `parent` indexes DemoPlan::localities.
struct DemoLocality {
  courses::Locality locality;
  std::optional<std::size_t> parent;
};

/// A demo sign-in with its known demo password.
struct DemoAccount {
  std::string login;
  std::string display_name;  ///< as printed on certificates (trainers); learners: their name
  courses::Role role = courses::Role::trainer;
  std::string password;
  std::optional<std::size_t> participant;  ///< learners: index into DemoPlan::participants
};

/// A cohort of the plan with its sessions; indexes refer to the DemoPlan vectors.
struct DemoCohort {
  courses::Cohort cohort;
  std::size_t course = 0;
  std::size_t locality = 0;
  std::vector<std::size_t> trainers;  ///< into DemoPlan::accounts
  std::vector<courses::Session> sessions;
};

/// A person of the plan; `locality` indexes DemoPlan::localities.
struct DemoParticipant {
  courses::Participant person;
  std::size_t locality = 0;
};

/// One enrolment with its attendance: marks[i] belongs to the cohort's i-th session.
struct DemoEnrolment {
  std::size_t participant = 0;
  std::size_t cohort = 0;
  std::vector<courses::AttendanceStatus> marks;
};

/// Everything the demo consists of, without any storage ids.
struct DemoPlan {
  courses::Programme programme;
  std::vector<DemoLocality> localities;
  std::vector<courses::Course> courses;
  std::vector<DemoAccount> accounts;
  std::vector<DemoCohort> cohorts;
  std::vector<DemoParticipant> participants;
  std::vector<DemoEnrolment> enrolments;
  /// What the programme promised its donor: people trained per track.
  std::vector<courses::Target> targets;
};

/// The demo: programme LSG-EKZ with its four implementing organisations, its localities (two
/// regions, three districts, ten pilot places), three courses, cohorts with sessions and trainers
/// (invented names), 106 invented people and attendance such that exactly 60 distinct people meet
/// the inclusive-planning rule, 50 the entrepreneurship rule and 8 the study-visit rule, and 12
/// enrolled people meet none; 118 enrolments qualify for a certificate. Its targets are those
/// numbers: trained in inclusive_planning 60, entrepreneurship 50, study_visit 8. Same result on
/// every call.
DemoPlan buildDemoPlan();

/// One enrolment's attendance as the completion rule needs it.
struct EnrolmentAttendance {
  courses::Id participant = 0;
  std::string track;
  courses::CompletionRule rule;
  int sessions_total = 0;
  std::vector<courses::AttendanceStatus> statuses;
};

/// Distinct people who met the completion rule of at least one cohort, per track, and enrolled
/// people who met none.
struct QualificationCounts {
  std::map<std::string, std::size_t> by_track;
  std::size_t enrolled = 0;           ///< distinct people enrolled anywhere
  std::size_t qualified_nowhere = 0;  ///< enrolled but met no rule
};

/// Applies courses::evaluateCompletion to every enrolment and counts distinct people.
QualificationCounts countQualified(std::span<const EnrolmentAttendance> enrolments);

/// The plan's enrolments as countQualified input (participant ids are plan indexes).
std::vector<EnrolmentAttendance> planAttendance(const DemoPlan& plan);

/// Writes `plan` through the services as `admin` (an admin actor): catalogue, accounts (hashed
/// demo passwords), cohorts and sessions, people (their names checked against `coverage`),
/// enrolments and attendance sheets, then the programme's targets.
/// Throws courses::Error(conflict) when a programme with the plan's code already exists.
void loadDemoPlan(const DemoPlan& plan, courses::Repositories repos, const courses::Clock& clock,
                  const courses::GlyphCoverage& coverage, const courses::Actor& admin);

/// Issues certificates to every qualified enrolment of every cohort of the programme with
/// `programme_code`, cohort by cohort through CertificateService::issueCohort as `admin`, each in
/// its course's language. Enrolments that already hold a valid certificate are left alone, so
/// running it again issues nothing new. Returns the number issued now.
std::size_t issueDemoCertificates(courses::Repositories repos, courses::CertificateMaker& maker,
                                  const courses::Clock& clock, const courses::Actor& admin,
                                  const std::string& programme_code);

/// The valid certificates of the programme's cohorts, counted from storage.
std::size_t countStoredCertificates(courses::Repositories repos, const courses::Actor& admin,
                                    const std::string& programme_code);

/// True when the programme with the demo's code exists.
bool demoLoaded(courses::Repositories repos, const DemoPlan& plan);

/// Sets the plan's targets on the stored demo programme through TotalsService when it has none
/// (a demo loaded before targets existed gets them); returns whether it set them.
bool setDemoTargets(courses::Repositories repos, const courses::Actor& admin, const DemoPlan& plan);

/// The totals of the programme with `programme_code` broken down by track, computed by
/// TotalsService from what was stored (the whole period, with the programme's targets), to prove
/// what was stored. Throws courses::Error(not_found) when there is no such programme.
courses::TotalsReport storedTotalsByTrack(courses::Repositories repos, const courses::Actor& admin,
                                          const std::string& programme_code);

}  // namespace plugin::cli
