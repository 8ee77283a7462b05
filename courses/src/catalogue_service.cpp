#include "courses/catalogue_service.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "access.hpp"
#include "checks.hpp"
#include "courses/error.hpp"
#include "courses/rules.hpp"
#include "invalid.hpp"

namespace courses {

using detail::checkDates;
using detail::checkLocalized;
using detail::checkText;
using detail::inEnumRange;
using detail::isDigit;
using detail::matchesPattern;
using detail::requireAdmin;
using detail::throwNotFound;

namespace {

constexpr std::size_t kMaxTitle = 300;
constexpr std::size_t kMaxLocalityName = 200;
constexpr std::size_t kMaxDonor = 200;
// A certificate prints every implementing organisation: a bounded list of bounded names fits.
constexpr std::size_t kMaxOrganisations = 8;
constexpr std::size_t kMaxOrganisation = 200;
constexpr std::size_t kMinProgrammeCode = 2;
constexpr std::size_t kMaxProgrammeCode = 20;
constexpr std::size_t kKatoDigits = 9;
constexpr double kMaxCourseHours = 1000;
constexpr int kMaxAge = 120;

bool isProgrammeCodeChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

/// Lower numbers are higher in the tree: a locality's parent must rank above it.
int localityRank(LocalityKind kind) noexcept {
  switch (kind) {
    case LocalityKind::region:
      return 0;
    case LocalityKind::district:
      return 1;
    case LocalityKind::settlement:
    case LocalityKind::rural_district:
      return 2;
    case LocalityKind::village:
      return 3;
  }
  return 3;
}

}  // namespace

namespace {

// What a programme must be, new or edited, except its code.
void checkProgramme(detail::Problems& problems, Programme& programme) {
  checkLocalized(problems, programme.title, "title", kMaxTitle);
  checkText(problems, programme.donor, "donor", 1, kMaxDonor);
  checkDates(problems, programme.starts_on, programme.ends_on);
  if (programme.youth.from < 1 || programme.youth.from > programme.youth.to ||
      programme.youth.to > kMaxAge) {
    problems.add("youth",
                 "must run from an age of at least 1 to one of at most 120, from not "
                 "above to");
  }
  if (programme.organisations.size() > kMaxOrganisations) {
    problems.add("organisations",
                 "must list at most " + std::to_string(kMaxOrganisations) + " organisations");
  } else {
    for (std::size_t i = 0; i < programme.organisations.size(); ++i) {
      checkLocalized(problems, programme.organisations[i],
                     "organisations[" + std::to_string(i) + "]", kMaxOrganisation);
    }
  }
}

}  // namespace

Programme CatalogueService::createProgramme(const Actor& actor, Programme programme) {
  requireAdmin(actor, "create programmes");
  detail::Problems problems;
  if (!matchesPattern(programme.code, kMinProgrammeCode, kMaxProgrammeCode, isProgrammeCodeChar)) {
    problems.add("code", "must be 2 to 20 characters: capital Latin letters, digits and hyphens");
  }
  checkProgramme(problems, programme);
  problems.throwIfAny("programme");
  programme.id = 0;
  return repos_.programmes.create(programme);
}

Programme CatalogueService::updateProgramme(const Actor& actor, Id id, Programme edited,
                                            std::optional<int> version) {
  requireAdmin(actor, "edit programmes");
  const Programme current = programme(actor, id);
  detail::Problems problems;
  if (edited.code != current.code) {
    // Certificate serials are numbered in series named by the code.
    problems.add("code", "cannot be changed: certificate serials are numbered by it");
  }
  checkProgramme(problems, edited);
  problems.throwIfAny("programme");
  return repos_.programmes.update(
      id, edited, {.version = version, .change = {.account_id = actor.account_id, .reason = {}}});
}

std::vector<Programme> CatalogueService::listProgrammes(const Actor& /*actor*/) {
  return repos_.programmes.list();
}

Programme CatalogueService::programme(const Actor& /*actor*/, Id id) {
  auto found = repos_.programmes.find(id);
  if (!found) throwNotFound("programme", id);
  return *found;
}

namespace {

// What a locality must be, new or edited: a known kind under a parent of a higher rank, a name,
// a 9-digit KATO code if any.
void checkLocality(Repositories& repos, detail::Problems& problems, Locality& locality) {
  if (!inEnumRange(locality.kind, LocalityKind::region, LocalityKind::village)) {
    problems.add("kind", "is not a known kind of locality");
  } else if (locality.parent_id) {
    const auto parent = repos.localities.find(*locality.parent_id);
    if (!parent) {
      problems.add("parent_id", "does not name a known locality");
    } else if (localityRank(parent->kind) >= localityRank(locality.kind)) {
      problems.add("parent_id", "a " + std::string(toString(locality.kind)) +
                                    " cannot lie inside a " + std::string(toString(parent->kind)));
    }
  }
  checkLocalized(problems, locality.name, "name", kMaxLocalityName);
  if (locality.kato && !matchesPattern(*locality.kato, kKatoDigits, kKatoDigits, isDigit)) {
    problems.add("kato", "must be exactly 9 digits");
  }
}

}  // namespace

Locality CatalogueService::createLocality(const Actor& actor, Locality locality) {
  requireAdmin(actor, "create localities");
  detail::Problems problems;
  checkLocality(repos_, problems, locality);
  problems.throwIfAny("locality");
  locality.id = 0;
  return repos_.localities.create(locality);
}

Locality CatalogueService::locality(const Actor& /*actor*/, Id id) {
  auto found = repos_.localities.find(id);
  if (!found) throwNotFound("locality", id);
  return *found;
}

Locality CatalogueService::updateLocality(const Actor& actor, Id id, Locality edited,
                                          std::optional<int> version) {
  requireAdmin(actor, "edit localities");
  const Locality current = locality(actor, id);
  detail::Problems problems;
  if (edited.kind != current.kind) {
    problems.add("kind", "cannot be changed: the places inside it depend on it");
  }
  checkLocality(repos_, problems, edited);
  // A locality cannot move inside itself: no ancestor of the new parent may be it. (Ranks already
  // rule it out; the walk keeps it true should they ever allow equal kinds to nest.)
  for (std::optional<Id> up = edited.parent_id; up;) {
    if (*up == id) {
      problems.add("parent_id", "lies inside this locality: it cannot move there");
      break;
    }
    const auto ancestor = repos_.localities.find(*up);
    up = ancestor ? ancestor->parent_id : std::nullopt;
  }
  problems.throwIfAny("locality");
  return repos_.localities.update(
      id, edited, {.version = version, .change = {.account_id = actor.account_id, .reason = {}}});
}

std::vector<Locality> CatalogueService::listLocalities(const Actor& /*actor*/,
                                                       std::optional<Id> parent_id) {
  return repos_.localities.list(parent_id);
}

std::vector<Locality> CatalogueService::listAllLocalities(const Actor& /*actor*/) {
  return repos_.localities.listAll();
}

namespace {

// What a course must be, new or edited, except its programme.
void checkCourse(detail::Problems& problems, Course& course) {
  if (!isTrackName(course.track)) {
    problems.add("track", kTrackNameRule);
  }
  checkLocalized(problems, course.title, "title", kMaxTitle);
  if (!std::isfinite(course.hours) || course.hours <= 0 || course.hours > kMaxCourseHours) {
    problems.add("hours", "must be more than 0 and at most 1000");
  }
  if (!inEnumRange(course.certificate_language, CertificateLanguage::kk,
                   CertificateLanguage::all)) {
    problems.add("certificate_language", "must be kk, ru, en or all");
  }
  try {
    validateRule(course.rule);
  } catch (const Error& e) {
    problems.add(e);
  }
}

}  // namespace

Course CatalogueService::createCourse(const Actor& actor, Course course) {
  requireAdmin(actor, "create courses");
  detail::Problems problems;
  if (!repos_.programmes.find(course.programme_id)) {
    problems.add("programme_id", "does not name a known programme");
  }
  checkCourse(problems, course);
  problems.throwIfAny("course");
  course.id = 0;
  return repos_.courses.create(course);
}

Course CatalogueService::updateCourse(const Actor& actor, Id id, Course edited,
                                      std::optional<int> version) {
  requireAdmin(actor, "edit courses");
  const Course current = course(actor, id);
  detail::Problems problems;
  if (edited.programme_id != current.programme_id) {
    // Its enrolments' totals are kept per programme (enrolment_facts).
    problems.add("programme_id", "cannot be changed: create the course in the other programme");
  }
  checkCourse(problems, edited);
  problems.throwIfAny("course");
  return repos_.courses.update(
      id, edited, {.version = version, .change = {.account_id = actor.account_id, .reason = {}}});
}

std::vector<Course> CatalogueService::listCourses(const Actor& /*actor*/,
                                                  std::optional<Id> programme_id) {
  return repos_.courses.list(programme_id);
}

Course CatalogueService::course(const Actor& /*actor*/, Id id) {
  auto found = repos_.courses.find(id);
  if (!found) throwNotFound("course", id);
  return *found;
}

}  // namespace courses
