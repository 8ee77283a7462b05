#include "courses/services.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <set>
#include <unordered_set>

#include "access.hpp"
#include "courses/error.hpp"
#include "courses/rules.hpp"
#include "courses/text.hpp"
#include "invalid.hpp"

namespace courses {

using detail::manageableCohort;
using detail::requireAdmin;
using detail::requireStaff;
using detail::throwNotFound;
using detail::visibleParticipant;

namespace {

constexpr std::size_t kMaxTitle = 300;
constexpr std::size_t kMaxLocalityName = 200;
constexpr std::size_t kMaxDonor = 200;
// A certificate prints every implementing organisation: a bounded list of bounded names fits.
constexpr std::size_t kMaxOrganisations = 8;
constexpr std::size_t kMaxOrganisation = 200;
constexpr std::size_t kMaxPlace = 200;
constexpr std::size_t kMaxTopic = 300;
constexpr std::size_t kMaxSearchQuery = 200;
constexpr std::size_t kMaxTrack = 40;
constexpr std::size_t kMinProgrammeCode = 2;
constexpr std::size_t kMaxProgrammeCode = 20;
constexpr std::size_t kKatoDigits = 9;
constexpr std::size_t kMaxIdempotencyKey = 128;
constexpr std::size_t kMaxMarksPerSheet = 1000;
constexpr std::size_t kMaxReportedProblems = 50;
constexpr int kMaxSessionMinutes = 24 * 60;
constexpr double kMaxCourseHours = 1000;
constexpr int kMaxPageLimit = 200;
constexpr int kMaxAge = 120;

void checkText(detail::Problems& problems, std::string& value, const std::string& field,
               std::size_t min_code_points, std::size_t max_code_points) {
  try {
    value = validateText(value, field, min_code_points, max_code_points);
  } catch (const Error& e) {
    problems.add(e);
  }
}

void checkLocalized(detail::Problems& problems, LocalizedText& text, const std::string& field,
                    std::size_t max_code_points) {
  checkText(problems, text.kk, field + ".kk", 1, max_code_points);
  checkText(problems, text.ru, field + ".ru", 1, max_code_points);
  checkText(problems, text.en, field + ".en", 1, max_code_points);
}

void checkDates(detail::Problems& problems, const Date& starts_on, const Date& ends_on) {
  const bool starts_ok = isValidDate(starts_on);
  const bool ends_ok = isValidDate(ends_on);
  if (!starts_ok) problems.add("starts_on", "must be a calendar date written YYYY-MM-DD");
  if (!ends_ok) problems.add("ends_on", "must be a calendar date written YYYY-MM-DD");
  // ISO dates compare correctly as text.
  if (starts_ok && ends_ok && ends_on < starts_on) {
    problems.add("ends_on", "must not be before starts_on");
  }
}

bool matchesPattern(std::string_view text, std::size_t min_length, std::size_t max_length,
                    bool (*allowed)(char)) {
  return text.size() >= min_length && text.size() <= max_length &&
         std::all_of(text.begin(), text.end(), allowed);
}

bool isTrackChar(char c) {
  return (c >= 'a' && c <= 'z') || c == '_';
}
bool isProgrammeCodeChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}
bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isIdempotencyKeyChar(char c) {
  return c > ' ' && c < 0x7F;
}

bool learnerIsEnrolledIn(Repositories& repos, const Actor& actor, Id cohort_id) {
  if (!actor.participant_id) return false;
  const auto enrolments = repos.enrolments.listForParticipant(*actor.participant_id);
  return std::any_of(enrolments.begin(), enrolments.end(),
                     [&](const Enrolment& e) { return e.cohort_id == cohort_id; });
}

/// The cohort if the actor may read it: managers, and learners enrolled in it.
Cohort readableCohort(Repositories& repos, const Actor& actor, Id cohort_id) {
  if (actor.role != Role::learner) return manageableCohort(repos, actor, cohort_id);
  auto cohort = repos.cohorts.find(cohort_id);
  if (!cohort || !learnerIsEnrolledIn(repos, actor, cohort_id)) throwNotFound("cohort", cohort_id);
  return *cohort;
}

void checkLocalityExists(Repositories& repos, detail::Problems& problems, Id locality_id,
                         const std::string& field) {
  if (locality_id > 0 && !repos.localities.find(locality_id)) {
    problems.add(field, "does not name a known locality");
  }
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

template <typename Enum>
bool inEnumRange(Enum value, Enum first, Enum last) noexcept {
  const auto v = static_cast<int>(value);
  return v >= static_cast<int>(first) && v <= static_cast<int>(last);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Clocks

int Clock::currentYear() const {
  const Timestamp stamp = now();
  if (stamp.size() < 4 || !std::all_of(stamp.begin(), stamp.begin() + 4, isDigit)) {
    throw Error(ErrorCode::internal, "the clock returned a malformed timestamp");
  }
  return std::stoi(stamp.substr(0, 4));
}

Timestamp SystemClock::now() const {
  const std::time_t seconds =
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  if (gmtime_r(&seconds, &utc) == nullptr) {
    throw Error(ErrorCode::internal, "the system clock cannot be read as UTC");
  }
  char buffer[32];
  const std::size_t length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return Timestamp(buffer, length);
}

// ---------------------------------------------------------------------------------------------
// Catalogue

Programme CatalogueService::createProgramme(const Actor& actor, Programme programme) {
  requireAdmin(actor, "create programmes");
  detail::Problems problems;
  if (!matchesPattern(programme.code, kMinProgrammeCode, kMaxProgrammeCode, isProgrammeCodeChar)) {
    problems.add("code", "must be 2 to 20 characters: capital Latin letters, digits and hyphens");
  }
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
  problems.throwIfAny("programme");
  programme.id = 0;
  return repos_.programmes.create(programme);
}

std::vector<Programme> CatalogueService::listProgrammes(const Actor& /*actor*/) {
  return repos_.programmes.list();
}

Programme CatalogueService::programme(const Actor& /*actor*/, Id id) {
  auto found = repos_.programmes.find(id);
  if (!found) throwNotFound("programme", id);
  return *found;
}

Locality CatalogueService::createLocality(const Actor& actor, Locality locality) {
  requireAdmin(actor, "create localities");
  detail::Problems problems;
  if (!inEnumRange(locality.kind, LocalityKind::region, LocalityKind::village)) {
    problems.add("kind", "is not a known kind of locality");
  } else if (locality.parent_id) {
    const auto parent = repos_.localities.find(*locality.parent_id);
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
  problems.throwIfAny("locality");
  locality.id = 0;
  return repos_.localities.create(locality);
}

std::vector<Locality> CatalogueService::listLocalities(const Actor& /*actor*/,
                                                       std::optional<Id> parent_id) {
  return repos_.localities.list(parent_id);
}

Course CatalogueService::createCourse(const Actor& actor, Course course) {
  requireAdmin(actor, "create courses");
  detail::Problems problems;
  if (!repos_.programmes.find(course.programme_id)) {
    problems.add("programme_id", "does not name a known programme");
  }
  if (!matchesPattern(course.track, 1, kMaxTrack, isTrackChar)) {
    problems.add("track", "must be 1 to 40 characters: lowercase Latin letters and underscores");
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
  problems.throwIfAny("course");
  course.id = 0;
  return repos_.courses.create(course);
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

// ---------------------------------------------------------------------------------------------
// Cohorts

Cohort CohortService::create(const Actor& actor, Cohort cohort) {
  requireStaff(actor, "create cohorts");
  detail::Problems problems;
  if (!repos_.courses.find(cohort.course_id)) {
    problems.add("course_id", "does not name a known course");
  }
  if (cohort.locality_id <= 0) {
    problems.add("locality_id", "must name a locality");
  } else {
    checkLocalityExists(repos_, problems, cohort.locality_id, "locality_id");
  }
  checkText(problems, cohort.place, "place", 1, kMaxPlace);
  checkDates(problems, cohort.starts_on, cohort.ends_on);
  if (!inEnumRange(cohort.language, Language::kk, Language::en)) {
    problems.add("language", "must be kk, ru or en");
  }

  std::vector<Id> trainers;
  if (actor.isAdmin()) {
    std::unordered_set<Id> seen;
    for (std::size_t i = 0; i < cohort.trainer_ids.size(); ++i) {
      const Id id = cohort.trainer_ids[i];
      if (!seen.insert(id).second) continue;
      const auto account = repos_.accounts.find(id);
      if (!account || account->role != Role::trainer || account->disabled) {
        problems.add("trainer_ids[" + std::to_string(i) + "]",
                     "does not name an active trainer account");
        continue;
      }
      trainers.push_back(id);
    }
  } else {
    for (const Id id : cohort.trainer_ids) {
      if (id != actor.account_id) {
        throw Error(ErrorCode::forbidden, "only an administrator may assign other trainers");
      }
    }
    // A trainer who creates a cohort runs it.
    trainers.push_back(actor.account_id);
  }
  problems.throwIfAny("cohort");
  cohort.id = 0;
  cohort.trainer_ids = std::move(trainers);
  return repos_.cohorts.create(cohort);
}

std::vector<Cohort> CohortService::list(const Actor& actor, std::optional<Id> course_id) {
  CohortFilter filter;
  filter.course_id = course_id;
  switch (actor.role) {
    case Role::admin:
      break;
    case Role::trainer:
      filter.trainer_account_id = actor.account_id;
      break;
    case Role::learner:
      if (!actor.participant_id) return {};
      filter.participant_id = actor.participant_id;
      break;
  }
  return repos_.cohorts.list(filter);
}

Cohort CohortService::find(const Actor& actor, Id id) {
  return readableCohort(repos_, actor, id);
}

Session CohortService::addSession(const Actor& actor, Session session) {
  requireStaff(actor, "add sessions");
  manageable(actor, session.cohort_id);
  detail::Problems problems;
  if (!isValidTimestamp(session.starts_at)) {
    problems.add("starts_at", "must be a UTC time written YYYY-MM-DDTHH:MM:SSZ");
  }
  if (session.duration_minutes < 1 || session.duration_minutes > kMaxSessionMinutes) {
    problems.add("duration_minutes", "must be between 1 and 1440");
  }
  checkText(problems, session.topic, "topic", 0, kMaxTopic);
  problems.throwIfAny("session");
  session.id = 0;
  return repos_.cohorts.addSession(session);
}

std::vector<Session> CohortService::sessions(const Actor& actor, Id cohort_id) {
  readableCohort(repos_, actor, cohort_id);
  return repos_.cohorts.sessions(cohort_id);
}

Cohort CohortService::manageable(const Actor& actor, Id cohort_id) {
  return manageableCohort(repos_, actor, cohort_id);
}

// ---------------------------------------------------------------------------------------------
// Glyph coverage

namespace {

std::string utf8Encode(char32_t c) {
  std::string out;
  const auto byte = [&](char32_t bits) { out.push_back(static_cast<char>(bits)); };
  if (c < 0x80) {
    byte(c);
  } else if (c < 0x800) {
    byte(0xC0 | (c >> 6));
    byte(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    byte(0xE0 | (c >> 12));
    byte(0x80 | ((c >> 6) & 0x3F));
    byte(0x80 | (c & 0x3F));
  } else {
    byte(0xF0 | (c >> 18));
    byte(0x80 | ((c >> 12) & 0x3F));
    byte(0x80 | ((c >> 6) & 0x3F));
    byte(0x80 | (c & 0x3F));
  }
  return out;
}

/// "U+04D8 'Ә'": the notation people can look up, and the character itself for those who see it.
std::string describeCodePoint(char32_t c) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(c));
  return std::string(hex) + " '" + utf8Encode(c) + "'";
}

}  // namespace

void requireDrawable(const GlyphCoverage& coverage, std::string_view text, std::string_view field) {
  if (firstInvalidUtf8(text)) {
    // The coverage reads code points; invalid bytes are a malformed request, not a missing glyph.
    detail::throwInvalid(std::string(field), "must be valid UTF-8");
  }
  const std::optional<char32_t> missing = coverage.firstMissing(text);
  if (!missing) return;
  std::string problem = describeCodePoint(*missing) + " cannot be printed on a certificate";
  std::string message = std::string(field) + ": " + problem;
  throw Error(ErrorCode::unprocessable, std::move(message),
              {FieldProblem{std::string(field), std::move(problem)}});
}

// ---------------------------------------------------------------------------------------------
// Participants

ParticipantService::Registered ParticipantService::registerPerson(const Actor& actor,
                                                                  Registration registration) {
  return registerOrCheck(actor, std::move(registration), true);
}

ParticipantService::Registered ParticipantService::checkRegistration(const Actor& actor,
                                                                     Registration registration) {
  return registerOrCheck(actor, std::move(registration), false);
}

ParticipantService::Registered ParticipantService::registerOrCheck(const Actor& actor,
                                                                   Registration registration,
                                                                   bool write) {
  requireStaff(actor, "register participants");
  if (registration.same_person && registration.not_duplicate) {
    detail::throwInvalid("same_person", "cannot be combined with not_duplicate");
  }
  Participant person = validateParticipant(std::move(registration.person), clock_.currentYear());
  // Checked on the normalised (NFC) name: composed letters are what the fonts must draw.
  requireDrawable(coverage_, person.full_name, "full_name");
  {
    detail::Problems problems;
    checkLocalityExists(repos_, problems, person.demographics.locality_id, "locality_id");
    problems.throwIfAny("participant");
  }

  const DuplicateKey key = duplicateKey(person);
  const std::vector<Participant> matches = repos_.participants.findByKey(key);
  const Timestamp now = clock_.now();
  const auto visible = [&](Id id) {
    return actor.isAdmin() || repos_.participants.isVisibleTo(id, actor.account_id);
  };
  if (registration.same_person || registration.same_person_confirmation) {
    // A bare id confirms only someone the actor may see; anyone else only by the confirmation
    // they were shown, so an id guessed from elsewhere links nobody.
    const std::optional<Id> confirmed =
        registration.same_person
            ? registration.same_person
            : confirmedPerson(actor, *registration.same_person_confirmation, confirmations_, now);
    const auto match = std::find_if(matches.begin(), matches.end(), [&](const Participant& p) {
      return confirmed == p.id && (!registration.same_person || visible(p.id));
    });
    if (match == matches.end()) {
      detail::throwInvalid("same_person",
                           "is not a person with the same name, birth year and locality");
    }
    if (write) repos_.participants.grantAccess(match->id, actor.account_id, registration.cohort_id, now);
    return Registered{*match, false};
  }
  if (!matches.empty() && !registration.not_duplicate) {
    Error error(ErrorCode::conflict,
                "a person with the same name, birth year and locality is already registered; "
                "confirm them with same_person or register a new person with not_duplicate");
    for (const Participant& p : matches) {
      error.candidates.push_back(duplicateCandidate(actor, p, visible(p.id), confirmations_, now));
    }
    throw error;
  }

  person.id = 0;
  person.created_by = actor.account_id;
  person.created_at = now;
  person.updated_at = person.created_at;
  if (!write) return Registered{std::move(person), true};
  return Registered{repos_.participants.create(person, key), true};
}

Participant ParticipantService::find(const Actor& actor, Id id) {
  return visibleParticipant(repos_, actor, id);
}

Page<Participant> ParticipantService::search(const Actor& actor, const std::string& query,
                                             PageRequest page) {
  detail::Problems problems;
  std::string text = query;
  checkText(problems, text, "q", 0, kMaxSearchQuery);
  if (page.after < 0) problems.add("after", "must not be negative");
  if (page.limit < 1 || page.limit > kMaxPageLimit) {
    problems.add("limit", "must be between 1 and " + std::to_string(kMaxPageLimit));
  }
  problems.throwIfAny("search");
  const std::string fragment = nameMatchKey(text);

  if (actor.role == Role::learner) {
    // A learner finds only themselves.
    Page<Participant> own;
    if (!actor.participant_id || *actor.participant_id <= page.after) return own;
    auto person = repos_.participants.find(*actor.participant_id);
    if (person && nameMatchKey(person->full_name).find(fragment) != std::string::npos) {
      own.items.push_back(std::move(*person));
    }
    return own;
  }
  const std::optional<Id> visible_to =
      actor.isAdmin() ? std::nullopt : std::optional<Id>(actor.account_id);
  return repos_.participants.search(fragment, visible_to, page);
}

std::vector<ParticipantLink> ParticipantService::links(const Actor& actor, Id id) {
  requireAdmin(actor, "read who linked a person");
  visibleParticipant(repos_, actor, id);
  return repos_.participants.links(id);
}

Participant ParticipantService::update(const Actor& actor, Id id, ParticipantPatch patch) {
  requireStaff(actor, "edit participants");
  Participant merged = visibleParticipant(repos_, actor, id);
  applyPatch(merged, patch);

  merged = validateParticipant(std::move(merged), clock_.currentYear());
  // Only a new name is checked: an edit of someone's phone must not fail on a name stored before
  // the check existed.
  if (patch.full_name) requireDrawable(coverage_, merged.full_name, "full_name");
  if (patch.locality_id) {
    detail::Problems problems;
    checkLocalityExists(repos_, problems, *patch.locality_id, "locality_id");
    problems.throwIfAny("participant");
  }
  // Store the normalised forms, not what was typed.
  if (patch.full_name) patch.full_name = merged.full_name;
  if (patch.phone) patch.phone = merged.phone;
  if (patch.email) patch.email = merged.email;
  return repos_.participants.update(id, patch, duplicateKey(merged));
}

// ---------------------------------------------------------------------------------------------
// Enrolments

EnrolmentRepository::Created EnrolmentService::enrol(
    const Actor& actor, Id cohort_id, Id participant_id,
    const std::optional<std::string>& idempotency_key) {
  requireStaff(actor, "enrol participants");
  manageableCohort(repos_, actor, cohort_id);
  visibleParticipant(repos_, actor, participant_id);
  if (idempotency_key &&
      !matchesPattern(*idempotency_key, 1, kMaxIdempotencyKey, isIdempotencyKeyChar)) {
    detail::throwInvalid("idempotency_key",
                         "must be 1 to 128 visible ASCII characters without spaces");
  }
  return repos_.enrolments.enrol(participant_id, cohort_id, actor.account_id, idempotency_key);
}

std::vector<Enrolment> EnrolmentService::list(const Actor& actor, Id cohort_id) {
  readableCohort(repos_, actor, cohort_id);
  std::vector<Enrolment> enrolments = repos_.enrolments.listForCohort(cohort_id);
  if (actor.role == Role::learner) {
    // A learner sees only their own enrolment, never the other people in the room.
    std::erase_if(enrolments,
                  [&](const Enrolment& e) { return e.participant_id != actor.participant_id; });
  }
  return enrolments;
}

// ---------------------------------------------------------------------------------------------
// Attendance

namespace {

/// The session if the actor may manage its cohort; learners never see a sheet of other people.
Session manageableSession(Repositories& repos, const Actor& actor, Id session_id) {
  if (actor.role == Role::learner) throwNotFound("session", session_id);
  auto session = repos.cohorts.findSession(session_id);
  if (!session) throwNotFound("session", session_id);
  if (!actor.isAdmin() && !repos.cohorts.isTrainerOf(session->cohort_id, actor.account_id)) {
    throwNotFound("session", session_id);
  }
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

// ---------------------------------------------------------------------------------------------
// Profile

Profile ProfileService::me(const Actor& actor) {
  auto account = repos_.accounts.find(actor.account_id);
  if (!account) throw Error(ErrorCode::unauthenticated, "the account no longer exists");
  Profile profile;
  profile.account = *account;
  const std::optional<Id> participant_id =
      account->participant_id ? account->participant_id : actor.participant_id;
  if (account->role == Role::learner && participant_id) {
    profile.participant = repos_.participants.find(*participant_id);
    if (profile.participant) {
      profile.enrolments = repos_.enrolments.listForParticipant(*participant_id);
    }
  }
  return profile;
}

}  // namespace courses
