// The stored demo: what `qatysu demo load` does once the plan is written (targets, certificates)
// and what it reads back to prove it (totals, certificate counts), through the domain services.

#include <string>
#include <utility>
#include <vector>

#include "courses/error.hpp"
#include "plugin/cli/demo.hpp"

namespace plugin::cli {

namespace {

/// The demo programme's cohorts with their courses, in course and cohort order.
std::vector<std::pair<courses::Course, courses::Cohort>> programmeCohorts(
    courses::Repositories repos, const courses::Actor& admin, const std::string& programme_code) {
  courses::CatalogueService catalogue(repos);
  courses::CohortService cohorts(repos);
  std::vector<std::pair<courses::Course, courses::Cohort>> out;
  for (const auto& programme : catalogue.listProgrammes(admin)) {
    if (programme.code != programme_code) continue;
    for (const auto& course : catalogue.listCourses(admin, programme.id)) {
      for (const auto& cohort : cohorts.list(admin, course.id)) out.emplace_back(course, cohort);
    }
  }
  return out;
}

}  // namespace

namespace {

courses::Programme storedProgramme(courses::Repositories repos, const std::string& programme_code) {
  for (const auto& programme : repos.programmes.list()) {
    if (programme.code == programme_code) return programme;
  }
  throw courses::Error(courses::ErrorCode::not_found,
                       "no programme has the code " + programme_code);
}

}  // namespace

bool setDemoTargets(courses::Repositories repos, const courses::Actor& admin,
                    const DemoPlan& plan) {
  const courses::Programme programme = storedProgramme(repos, plan.programme.code);
  courses::TotalsService totals(repos);
  if (!totals.targets(admin, programme.id).empty()) return false;
  totals.setTargets(admin, programme.id, plan.targets);
  return true;
}

courses::TotalsReport storedTotalsByTrack(courses::Repositories repos, const courses::Actor& admin,
                                          const std::string& programme_code) {
  courses::TotalsQuery query;
  query.programme_id = storedProgramme(repos, programme_code).id;
  query.by = {courses::Dimension::track};
  return courses::TotalsService(repos).totals(admin, query);
}

std::size_t issueDemoCertificates(courses::Repositories repos, courses::CertificateMaker& maker,
                                  const courses::Clock& clock, const courses::Actor& admin,
                                  const std::string& programme_code) {
  courses::CertificateService certificates(repos, maker, clock);
  std::size_t issued = 0;
  for (const auto& [course, cohort] : programmeCohorts(repos, admin, programme_code)) {
    if (!course.gives_certificate) continue;
    // No language override: each course's own certificate language applies.
    issued += certificates.issueCohort(admin, cohort.id, std::nullopt).issued.size();
  }
  return issued;
}

std::size_t countStoredCertificates(courses::Repositories repos, const courses::Actor& admin,
                                    const std::string& programme_code) {
  std::size_t valid = 0;
  for (const auto& entry : programmeCohorts(repos, admin, programme_code)) {
    for (const auto& certificate : repos.certificates.listForCohort(entry.second.id)) {
      if (certificate.status == courses::CertificateStatus::valid) ++valid;
    }
  }
  return valid;
}

}  // namespace plugin::cli
