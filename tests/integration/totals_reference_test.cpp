// Totals against an independent reference. A seeded random data set (three programmes with
// different youth bands, a locality tree, tracks with different completion rules, ~150 cohorts,
// ~2,500 people, attendance marked and re-marked, profiles edited after enrolment, certificates
// issued with and without waivers and revoked) is written through the real repositories into a
// database of its own. The raw rows are then read back with plain SQL and every measure of every
// cell TotalsService reports is compared with figures computed here, in the plainest way, from the
// counting rules in the header comment of courses/totals.hpp. No totals code of `courses` (nor
// evaluateCompletion) is used for the reference.
//
// The seed is printed; QATYSU_TOTALS_SEED=N reruns one data set.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "courses/data_rights.hpp"
#include "courses/error.hpp"
#include "courses/mariadb/store.hpp"
#include "courses/model.hpp"
#include "courses/repositories.hpp"
#include "courses/rules.hpp"
#include "courses/services.hpp"
#include "courses/totals.hpp"
#include "support/db/test_database.hpp"

namespace {

using courses::Dimension;
using courses::Id;
using Keys = std::vector<std::string>;

// ---------------------------------------------------------------------------------------------
// Dates as day numbers (proleptic Gregorian), for generating cohorts and periods.

int daysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int toDays(const std::string& date) {
  return daysFromCivil(std::stoi(date.substr(0, 4)), std::stoi(date.substr(5, 2)),
                       std::stoi(date.substr(8, 2)));
}

std::string fromDays(int z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  const int y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
  return text;
}

// Wire names, written out here so that the reference does not lean on the code under test.
const char* dimensionName(Dimension d) {
  switch (d) {
    case Dimension::track:
      return "track";
    case Dimension::course:
      return "course";
    case Dimension::cohort:
      return "cohort";
    case Dimension::gender:
      return "gender";
    case Dimension::age_band:
      return "age_band";
    case Dimension::region:
      return "region";
    case Dimension::district:
      return "district";
    case Dimension::settlement:
      return "settlement";
    case Dimension::locality:
      return "locality";
    case Dimension::affiliation:
      return "affiliation";
    case Dimension::vulnerable_group:
      return "vulnerable_group";
  }
  return "?";
}
constexpr Dimension kAllDimensions[] = {
    Dimension::track,    Dimension::course,      Dimension::cohort,          Dimension::gender,
    Dimension::age_band, Dimension::region,      Dimension::district,        Dimension::settlement,
    Dimension::locality, Dimension::affiliation, Dimension::vulnerable_group};
// Bit i of a vulnerable set, by name.
constexpr const char* kVulnerableNames[] = {"disability",    "youth",     "mother_of_many_children",
                                            "single_parent", "pensioner", "unemployed"};

bool describesCohorts(Dimension d) {
  return d == Dimension::track || d == Dimension::course || d == Dimension::cohort;
}

/// Calls `write(i)` for i in [0, n) on a few threads: each repository call is its own transaction,
/// and several at once share the server's log flushes. The first exception is rethrown.
template <typename Write>
void writeConcurrently(std::size_t n, Write write) {
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (std::size_t i = next++; i < n; i = next++) {
        try {
          write(i);
        } catch (...) {
          const std::lock_guard lock(failure_mutex);
          if (!failure) failure = std::current_exception();
          next = n;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);
}

// ---------------------------------------------------------------------------------------------
// The generated data set, as written through the repositories.

struct Generated {
  unsigned seed = 0;
  courses::Account admin;
  std::vector<courses::Account> trainers;
  std::vector<courses::Programme> programmes;
  std::vector<courses::Course> courses;
  std::vector<courses::Cohort> cohorts;
  std::vector<std::vector<courses::Session>> sessions;  ///< per cohort index
  std::vector<courses::Participant> people;
  std::vector<courses::Enrolment> enrolments;
  std::size_t profile_edits = 0;
  std::size_t sheets_saved = 0;
  std::size_t marks_saved = 0;
  std::size_t certificates_issued = 0;
  std::size_t waivers_issued = 0;
  std::size_t waivers_not_meeting_rule = 0;
  std::size_t revocations = 0;
  std::size_t reissued = 0;
  double seconds = 0;
  std::string phases;  ///< how long each step of the generation took
};

class Generator {
 public:
  Generator(courses::Repositories repos, unsigned seed) : repos_(repos), random_(seed) {
    out_.seed = seed;
  }

  Generated run() {
    const auto started = std::chrono::steady_clock::now();
    auto lap = started;
    const auto phase = [&](const char* name, void (Generator::*step)()) {
      (this->*step)();
      const auto now = std::chrono::steady_clock::now();
      std::ostringstream text;
      text.precision(2);
      text << std::fixed << (out_.phases.empty() ? "" : ", ") << name << " "
           << std::chrono::duration<double>(now - lap).count() << " s";
      out_.phases += text.str();
      lap = now;
    };
    phase("catalogue", &Generator::catalogue);
    phase("cohorts", &Generator::cohorts);
    phase("people", &Generator::people);
    phase("enrolments and edits", &Generator::enrolAndEdit);
    phase("attendance", &Generator::markAttendance);
    phase("certificates", &Generator::issueCertificates);
    phase("re-marking", &Generator::remark);
    phase("revocations", &Generator::revokeAndReissue);
    out_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return std::move(out_);
  }

 private:
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(random_); }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(uniform(0, static_cast<int>(items.size()) - 1))];
  }

  void catalogue() {
    accounts();
    programmes();
    localities();
    courseList();
  }

  void accounts() {
    courses::Account admin;
    admin.login = "reference-admin";
    admin.role = courses::Role::admin;
    out_.admin = repos_.accounts.create(admin, "$argon2id$test-hash");
    for (int i = 0; i < 6; ++i) {
      courses::Account trainer;
      trainer.login = "reference-trainer-" + std::to_string(i);
      trainer.display_name = "Тренер " + std::to_string(i);
      trainer.role = courses::Role::trainer;
      out_.trainers.push_back(repos_.accounts.create(trainer, "$argon2id$test-hash"));
    }
  }

  void programmes() {
    const courses::YouthBand bands[] = {{14, 35}, {16, 29}, {18, 30}};
    const char* codes[] = {"REF-A", "REF-B", "REF-C"};
    for (int i = 0; i < 3; ++i) {
      courses::Programme p;
      p.code = codes[i];
      p.title = {"Бағдарлама " + p.code, "Программа " + p.code, "Programme " + p.code};
      p.donor = "EU";
      p.starts_on = "2017-02-01";
      p.ends_on = "2020-01-31";
      p.youth = bands[i];
      out_.programmes.push_back(repos_.programmes.create(p));
    }
  }

  Id locality(std::optional<Id> parent, courses::LocalityKind kind, const std::string& name) {
    courses::Locality l;
    l.parent_id = parent;
    l.kind = kind;
    l.name = {name, name, name};
    return repos_.localities.create(l).id;
  }

  // Two regions of districts; each district has a settlement (with a village of its own) and rural
  // districts of villages. People live in villages, settlements, rural districts and, now and then,
  // in a district itself (no settlement above them).
  void localities() {
    using K = courses::LocalityKind;
    int n = 0;
    const auto name = [&n](const char* stem) {
      return std::string(stem) + " " + std::to_string(++n);
    };
    for (int r = 0; r < 2; ++r) {
      const Id region = locality(std::nullopt, K::region, name("Облыс"));
      cohort_places_.push_back(region);
      for (int d = 0; d < 2 + r; ++d) {
        const Id district = locality(region, K::district, name("Аудан"));
        homes_.push_back(district);
        cohort_places_.push_back(district);
        const Id settlement = locality(district, K::settlement, name("Кент"));
        homes_.push_back(settlement);
        homes_.push_back(settlement);
        homes_.push_back(locality(settlement, K::village, name("Ауыл")));
        for (int rd = 0; rd < 2; ++rd) {
          const Id rural = locality(district, K::rural_district, name("Ауылдық округ"));
          homes_.push_back(rural);
          for (int v = 0; v < 1 + rd + r; ++v) {
            const Id village = locality(rural, K::village, name("Ауыл"));
            homes_.push_back(village);
            homes_.push_back(village);
          }
        }
      }
    }
  }

  void courseList() {
    struct Spec {
      std::size_t programme;
      const char* track;
      const char* title;
      courses::CompletionRule rule;
      bool gives_certificate;
    };
    const Spec specs[] = {
        {0, "inclusive_planning", "Inclusive planning", {80, false, false}, true},
        {0, "inclusive_planning", "Inclusive budgets", {80, true, false}, true},
        {0, "entrepreneurship", "Basics of entrepreneurship", {70, true, false}, true},
        {0, "study_visit", "Study visit", {100, false, true}, true},
        {0, "information_event", "Information event", {0, false, false}, false},
        {1, "inclusive_planning", "Village plans", {60, true, false}, true},
        {1, "entrepreneurship", "Small business", {80, false, false}, true},
        {1, "digital_literacy", "Digital literacy", {75, false, false}, true},
        {2, "study_visit", "Exchange visit", {90, true, true}, true},
        {2, "entrepreneurship", "Grant writing", {50, false, false}, true},
    };
    for (const Spec& s : specs) {
      courses::Course c;
      c.programme_id = out_.programmes[s.programme].id;
      c.track = s.track;
      c.title = {s.title, s.title, s.title};
      c.hours = 12;
      c.rule = s.rule;
      c.gives_certificate = s.gives_certificate;
      out_.courses.push_back(repos_.courses.create(c));
    }
  }

  // ~150 cohorts between February 2017 and January 2020; 0–8 sessions each on days within the
  // cohort's dates (several a day sometimes, late in the evening sometimes), added out of order.
  void cohorts() {
    const int first = toDays("2017-02-01");
    const int last = toDays("2019-12-20");
    const std::vector<const char*> times = {"06:00:00", "09:00:00", "09:00:00",
                                            "14:00:00", "18:30:00", "23:30:00"};
    const std::vector<int> minutes = {45, 50, 60, 90, 90, 100, 120, 180, 240};
    // Programme A gets most cohorts.
    const std::vector<std::size_t> course_weights = {22, 12, 18, 8, 10, 16, 14, 12, 10, 14};
    std::discrete_distribution<std::size_t> which(course_weights.begin(), course_weights.end());
    for (int i = 0; i < 150; ++i) {
      const courses::Course& course = out_.courses[which(random_)];
      courses::Cohort c;
      c.course_id = course.id;
      c.locality_id = pick(cohort_places_);
      c.place = "Akimat hall";
      const int start = uniform(first, last);
      const int length = course.track == "study_visit" ? uniform(2, 6) : uniform(0, 20);
      c.starts_on = fromDays(start);
      c.ends_on = fromDays(start + length);
      c.language = courses::Language::kk;
      c.trainer_ids = {pick(out_.trainers).id};
      if (chance(0.3)) {
        const Id second = pick(out_.trainers).id;
        if (second != c.trainer_ids[0]) c.trainer_ids.push_back(second);
      }
      out_.cohorts.push_back(repos_.cohorts.create(c));

      const int count = chance(0.12) ? 0 : uniform(1, 8);
      std::vector<courses::Session> planned;
      for (int s = 0; s < count; ++s) {
        courses::Session session;
        session.cohort_id = out_.cohorts.back().id;
        // Mostly inside the first part of the dates, so that the last session often comes
        // before the cohort's end date.
        const int offset = chance(0.7) ? uniform(0, length * 2 / 3) : uniform(0, length);
        session.starts_at = fromDays(start + offset) + "T" + pick(times) + "Z";
        session.duration_minutes = pick(minutes);
        session.topic = "Тақырып " + std::to_string(s + 1);
        planned.push_back(session);
      }
      std::shuffle(planned.begin(), planned.end(), random_);
      std::vector<courses::Session> stored;
      for (const auto& session : planned) stored.push_back(repos_.cohorts.addSession(session));
      out_.sessions.push_back(std::move(stored));
    }
  }

  courses::Demographics demographics() {
    courses::Demographics d;
    const int g = uniform(0, 99);
    d.gender = g < 55 ? courses::Gender::female
                      : (g < 95 ? courses::Gender::male : courses::Gender::undisclosed);
    d.birth_year = uniform(1946, 2006);
    d.locality_id = pick(homes_);
    d.affiliation = static_cast<courses::Affiliation>(uniform(0, 5));
    const double odds[] = {0.08, 0.3, 0.1, 0.12, 0.15, 0.15};
    for (int bit = 0; bit < 6; ++bit) {
      if (chance(odds[bit]))
        d.vulnerable = static_cast<courses::VulnerableSet>(d.vulnerable | (1 << bit));
    }
    return d;
  }

  void people() {
    const std::vector<std::string> given = {"Айгерім", "Нұрлан", "Гүлнар", "Ерлан", "Сәуле",
                                            "Арман",   "Дана",   "Бақыт",  "Мария", "Олжас",
                                            "Жанар",   "Ғалым",  "Әсел",   "Тимур", "Үміт"};
    const std::vector<std::string> family = {"Сейтова",  "Омаров",  "Қасымова", "Жұмабаев",
                                             "Ахметова", "Ілиясов", "Серікова", "Нұрғалиев"};
    for (int i = 0; i < 2500; ++i) {
      courses::Participant p;
      p.full_name = pick(given) + " " + pick(family) + " " + std::to_string(i + 1);
      p.demographics = demographics();
      p.consent = true;
      p.created_by = pick(out_.trainers).id;
      out_.people.push_back(p);
    }
    writeConcurrently(out_.people.size(), [this](std::size_t i) {
      out_.people[i] =
          repos_.participants.create(out_.people[i], courses::duplicateKey(out_.people[i]));
    });
  }

  // Each person takes 1–4 cohorts, mostly in one programme, sometimes two in one track; some
  // cohorts nobody takes. A third of the people have their profile edited half-way, so their later
  // enrolments carry other demographics than their earlier ones.
  void enrolAndEdit() {
    std::vector<std::vector<std::size_t>> by_programme(out_.programmes.size());
    std::map<std::pair<std::size_t, std::string>, std::vector<std::size_t>> by_track;
    for (std::size_t i = 0; i < out_.cohorts.size(); ++i) {
      if (i % 50 == 7) continue;  // left without enrolments
      const courses::Course& course = courseOf(i);
      const std::size_t p = programmeIndex(course.programme_id);
      by_programme[p].push_back(i);
      by_track[{p, course.track}].push_back(i);
    }
    std::vector<std::pair<std::size_t, std::size_t>> plan;  // person, cohort index
    std::discrete_distribution<int> how_many({40, 30, 20, 10});
    std::discrete_distribution<std::size_t> main_programme({55, 30, 15});
    for (std::size_t person = 0; person < out_.people.size(); ++person) {
      const int n = how_many(random_) + 1;
      const std::size_t home = main_programme(random_);
      std::set<std::size_t> taken;
      for (int k = 0; k < n; ++k) {
        std::size_t cohort = 0;
        if (!taken.empty() && chance(0.25)) {
          // Another cohort of a track already taken.
          const std::size_t before =
              *std::next(taken.begin(), uniform(0, static_cast<int>(taken.size()) - 1));
          const courses::Course& course = courseOf(before);
          cohort = pick(by_track[{programmeIndex(course.programme_id), course.track}]);
        } else {
          const std::size_t p = chance(0.8) ? home : static_cast<std::size_t>(uniform(0, 2));
          cohort = pick(by_programme[p]);
        }
        if (taken.insert(cohort).second) plan.emplace_back(person, cohort);
      }
    }
    std::shuffle(plan.begin(), plan.end(), random_);
    out_.enrolments.resize(plan.size());
    for (std::size_t i = 0; i < plan.size(); ++i)
      enrolments_of_cohort_[plan[i].second].push_back(i);
    const auto enrol = [&](std::size_t i) {
      const auto [person, cohort] = plan[i];
      out_.enrolments[i] = repos_.enrolments
                               .enrol(out_.people[person].id, out_.cohorts[cohort].id,
                                      out_.cohorts[cohort].trainer_ids[0], std::nullopt)
                               .enrolment;
    };
    const std::size_t half = plan.size() * 55 / 100;
    writeConcurrently(half, enrol);
    editProfiles();
    writeConcurrently(plan.size() - half, [&](std::size_t i) { enrol(half + i); });
  }

  void editProfiles() {
    std::vector<std::pair<std::size_t, courses::ParticipantPatch>> edits;
    for (std::size_t i = 0; i < out_.people.size(); ++i) {
      if (!chance(0.33)) continue;
      const courses::Demographics next = demographics();
      courses::ParticipantPatch patch;
      if (chance(0.3)) patch.gender = next.gender;
      if (chance(0.5)) patch.birth_year = out_.people[i].demographics.birth_year + uniform(-6, 6);
      if (chance(0.6)) patch.locality_id = next.locality_id;
      if (chance(0.4)) patch.affiliation = next.affiliation;
      if (chance(0.5)) patch.vulnerable = next.vulnerable;
      edits.emplace_back(i, patch);
    }
    writeConcurrently(edits.size(), [&](std::size_t k) {
      const auto& [i, patch] = edits[k];
      courses::Participant patched = out_.people[i];
      courses::applyPatch(patched, patch);
      out_.people[i] =
          repos_.participants.update(patched.id, patch, courses::duplicateKey(patched));
    });
    out_.profile_edits = edits.size();
  }

  courses::AttendanceStatus status(double diligence) {
    if (chance(diligence)) {
      return chance(0.85) ? courses::AttendanceStatus::present : courses::AttendanceStatus::late;
    }
    return chance(0.35) ? courses::AttendanceStatus::excused : courses::AttendanceStatus::absent;
  }

  struct Sheet {
    Id session_id = 0;
    Id marked_by = 0;
    std::vector<courses::AttendanceMark> marks;
  };

  /// Notes a sheet to save, and the marks it leaves.
  void plan(std::vector<Sheet>& sheets, std::size_t cohort, const courses::Session& session,
            std::vector<courses::AttendanceMark> marks) {
    if (marks.empty()) return;
    for (const auto& m : marks) marks_[{session.id, m.enrolment_id}] = m.status;
    ++out_.sheets_saved;
    out_.marks_saved += marks.size();
    sheets.push_back({session.id, out_.cohorts[cohort].trainer_ids[0], std::move(marks)});
  }

  void save(const std::vector<Sheet>& sheets) {
    writeConcurrently(sheets.size(), [&](std::size_t i) {
      repos_.attendance.saveSheet(sheets[i].session_id, sheets[i].marks, sheets[i].marked_by);
    });
  }

  // One sheet per session: a few people left unmarked, the rest by how diligent each is; now and
  // then a session nobody attended.
  void markAttendance() {
    const std::vector<double> diligence_levels = {0.97, 0.9, 0.75, 0.5, 0.15};
    for (const auto& enrolment : out_.enrolments) diligence_[enrolment.id] = pick(diligence_levels);
    std::vector<Sheet> sheets;
    for (std::size_t c = 0; c < out_.cohorts.size(); ++c) {
      for (const auto& session : out_.sessions[c]) {
        const bool nobody = chance(0.05);
        std::vector<courses::AttendanceMark> marks;
        for (const std::size_t e : enrolments_of_cohort_[c]) {
          if (chance(0.08)) continue;
          courses::AttendanceMark m;
          m.enrolment_id = out_.enrolments[e].id;
          m.status =
              nobody ? courses::AttendanceStatus::absent : status(diligence_.at(m.enrolment_id));
          marks.push_back(m);
        }
        plan(sheets, c, session, std::move(marks));
      }
    }
    save(sheets);
  }

  /// The completion rule over the marks written so far (for deciding whom to certify).
  bool meetsRule(std::size_t cohort, Id enrolment_id) const {
    const courses::CompletionRule& rule = courseOf(cohort).rule;
    const int total = static_cast<int>(out_.sessions[cohort].size());
    if (total == 0) return false;
    int counted = 0;
    for (const auto& session : out_.sessions[cohort]) {
      const auto it = marks_.find({session.id, enrolment_id});
      if (it == marks_.end()) continue;
      if (it->second == courses::AttendanceStatus::present ||
          it->second == courses::AttendanceStatus::late ||
          (rule.excused_counts && it->second == courses::AttendanceStatus::excused)) {
        ++counted;
      }
    }
    const int required =
        rule.require_all ? total : (total * rule.min_attendance_percent + 99) / 100;
    return counted >= required;
  }

  courses::Certificate draft(std::size_t cohort, const courses::Enrolment& enrolment) const {
    const courses::Course& course = courseOf(cohort);
    const courses::Programme& programme = out_.programmes[programmeIndex(course.programme_id)];
    courses::Certificate c;
    c.enrolment_id = enrolment.id;
    c.participant_id = enrolment.participant_id;
    c.cohort_id = out_.cohorts[cohort].id;
    c.course_id = course.id;
    c.programme_id = programme.id;
    c.language = courses::CertificateLanguage::all;
    c.full_name = "Қатысушы " + std::to_string(enrolment.participant_id);
    c.track = course.track;
    c.course_title = course.title;
    c.hours = course.hours;
    c.starts_on = out_.cohorts[cohort].starts_on;
    c.ends_on = out_.cohorts[cohort].ends_on;
    c.place = out_.cohorts[cohort].place;
    c.locality = {"Аудан", "Район", "District"};
    c.sessions_total = static_cast<int>(out_.sessions[cohort].size());
    c.trainers = {"Тренер"};
    c.issuer = programme.title;
    c.issued_by = out_.admin.id;
    return c;
  }

  std::vector<courses::Certificate> issue(std::size_t cohort,
                                          const std::vector<courses::Certificate>& drafts) {
    if (drafts.empty()) return {};
    const courses::Course& course = courseOf(cohort);
    const std::string series =
        courses::certificateSeries(out_.programmes[programmeIndex(course.programme_id)].code,
                                   course.track, out_.cohorts[cohort].ends_on);
    const auto make = [](const courses::Certificate& c) {
      return courses::CertificateArtifacts{"token-" + c.serial, "signature", "%PDF-1.4 test",
                                           "\"etag\""};
    };
    auto issued =
        repos_.certificates.issue(drafts, std::vector<std::string>(drafts.size(), series), make);
    for (const auto& c : issued) {
      ++out_.certificates_issued;
      if (c.waiver_reason) ++out_.waivers_issued;
      issued_[cohort].push_back(c);
    }
    return issued;
  }

  // Before the second marking pass, so that some certificates end up held by enrolments that no
  // longer meet the rule (they stay certified, never trained). Waivers go to a few enrolments,
  // mostly ones that did not meet the rule, also in cohorts without sessions.
  void issueCertificates() {
    for (std::size_t c = 0; c < out_.cohorts.size(); ++c) {
      const courses::Course& course = courseOf(c);
      if (!course.gives_certificate) continue;
      const bool certify_cohort = chance(0.75);
      std::vector<courses::Certificate> drafts;
      for (const std::size_t e : enrolments_of_cohort_[c]) {
        const courses::Enrolment& enrolment = out_.enrolments[e];
        const bool meets = meetsRule(c, enrolment.id);
        if (chance(0.05)) {
          courses::Certificate d = draft(c, enrolment);
          d.waiver_reason = "Missed days for a family emergency; assessed by the trainer";
          if (!meets) ++out_.waivers_not_meeting_rule;
          drafts.push_back(std::move(d));
        } else if (meets && certify_cohort && chance(0.9)) {
          drafts.push_back(draft(c, enrolment));
        }
      }
      issue(c, drafts);
    }
  }

  // About a fifth of the sessions get a second sheet that changes some marks (and marks some
  // people left unmarked before).
  void remark() {
    std::vector<Sheet> sheets;
    for (std::size_t c = 0; c < out_.cohorts.size(); ++c) {
      for (const auto& session : out_.sessions[c]) {
        if (!chance(0.2)) continue;
        std::vector<courses::AttendanceMark> marks;
        for (const std::size_t e : enrolments_of_cohort_[c]) {
          if (!chance(0.5)) continue;
          courses::AttendanceMark m;
          m.enrolment_id = out_.enrolments[e].id;
          m.status = status(chance(0.5) ? 0.9 : 0.3);
          marks.push_back(m);
        }
        plan(sheets, c, session, std::move(marks));
      }
    }
    save(sheets);
  }

  // A tenth of the certificates are revoked; a third of those are issued again, some with a waiver.
  void revokeAndReissue() {
    for (auto& [cohort, certificates] : issued_) {
      std::vector<courses::Certificate> drafts;
      for (const auto& certificate : certificates) {
        if (!chance(0.1)) continue;
        repos_.certificates.revoke(certificate.id, "Issued in error", out_.admin.id,
                                   "2020-02-01T10:00:00Z");
        ++out_.revocations;
        if (!chance(0.33)) continue;
        const auto& enrolment = *std::find_if(
            out_.enrolments.begin(), out_.enrolments.end(),
            [&](const courses::Enrolment& e) { return e.id == certificate.enrolment_id; });
        courses::Certificate d = draft(cohort, enrolment);
        if (chance(0.5)) d.waiver_reason = "Completed the work at home, checked by an admin";
        drafts.push_back(std::move(d));
      }
      const std::size_t c = cohort;
      const auto again = issue(c, drafts);
      out_.reissued += again.size();
    }
  }

  const courses::Course& courseOf(std::size_t cohort) const {
    for (const auto& course : out_.courses) {
      if (course.id == out_.cohorts[cohort].course_id) return course;
    }
    throw std::logic_error("cohort without a course");
  }
  std::size_t programmeIndex(Id programme_id) const {
    for (std::size_t i = 0; i < out_.programmes.size(); ++i) {
      if (out_.programmes[i].id == programme_id) return i;
    }
    throw std::logic_error("unknown programme");
  }

  courses::Repositories repos_;
  std::mt19937 random_;
  Generated out_;
  std::vector<Id> homes_;
  std::vector<Id> cohort_places_;
  std::map<std::size_t, std::vector<std::size_t>> enrolments_of_cohort_;
  std::map<std::pair<Id, Id>, courses::AttendanceStatus> marks_;
  std::unordered_map<Id, double> diligence_;
  std::map<std::size_t, std::vector<courses::Certificate>> issued_;
};

// ---------------------------------------------------------------------------------------------
// The raw rows, read back with plain SQL.

struct RawLocality {
  std::optional<Id> parent;
  std::string kind;
};
struct RawCourse {
  Id programme_id = 0;
  std::string track;
  int percent = 0;
  bool excused_counts = false;
  bool require_all = false;
};
struct RawSession {
  Id id = 0;
  std::string date;  ///< UTC date of starts_at
  int minutes = 0;
  bool attended = false;  ///< someone was present or late
};
struct RawCohort {
  Id id = 0;
  Id course_id = 0;
  std::string starts_on;
  std::string ends_on;
  std::set<Id> trainers;
  std::vector<RawSession> sessions;
};
struct RawMark {
  Id session_id = 0;
  std::string status;
};
struct RawEnrolment {
  Id id = 0;
  Id participant_id = 0;
  Id cohort_id = 0;
  std::string gender;
  int birth_year = 0;
  Id locality_id = 0;
  std::string affiliation;
  unsigned vulnerable = 0;
  std::vector<RawMark> marks;
  std::optional<bool> certificate;  ///< holds a valid one; true when issued with a waiver
};

struct Raw {
  std::map<Id, RawLocality> localities;
  std::map<Id, RawCourse> courses;
  std::map<Id, RawCohort> cohorts;
  std::vector<RawEnrolment> enrolments;
  std::size_t attendance_rows = 0;
  std::size_t certificate_rows = 0;
};

Id idOf(const std::optional<std::string>& text) {
  return std::stoll(text.value());
}

Raw readRaw(const support::db::TestDatabase& db) {
  Raw raw;
  for (const auto& row : db.queryRows("SELECT id, parent_id, kind FROM localities")) {
    raw.localities[idOf(row[0])] = {row[1] ? std::optional<Id>(idOf(row[1])) : std::nullopt,
                                    row[2].value()};
  }
  for (const auto& row : db.queryRows("SELECT id, programme_id, track, min_attendance_percent,"
                                      " excused_counts, require_all FROM courses")) {
    raw.courses[idOf(row[0])] = {idOf(row[1]), row[2].value(), std::stoi(row[3].value()),
                                 row[4].value() != "0", row[5].value() != "0"};
  }
  for (const auto& row : db.queryRows("SELECT id, course_id, starts_on, ends_on FROM cohorts")) {
    RawCohort c;
    c.id = idOf(row[0]);
    c.course_id = idOf(row[1]);
    c.starts_on = row[2].value();
    c.ends_on = row[3].value();
    raw.cohorts[c.id] = c;
  }
  for (const auto& row : db.queryRows("SELECT cohort_id, account_id FROM cohort_trainers")) {
    raw.cohorts.at(idOf(row[0])).trainers.insert(idOf(row[1]));
  }
  std::map<Id, std::pair<Id, std::size_t>> session_at;  // session -> cohort, index
  for (const auto& row :
       db.queryRows("SELECT id, cohort_id, DATE_FORMAT(starts_at, '%Y-%m-%d'), duration_minutes"
                    " FROM sessions WHERE cancelled_at IS NULL ORDER BY id")) {
    RawCohort& c = raw.cohorts.at(idOf(row[1]));
    session_at[idOf(row[0])] = {c.id, c.sessions.size()};
    c.sessions.push_back({idOf(row[0]), row[2].value(), std::stoi(row[3].value()), false});
  }
  std::map<Id, std::size_t> enrolment_at;
  for (const auto& row : db.queryRows(
           "SELECT id, participant_id, cohort_id, snapshot_gender, snapshot_birth_year,"
           " snapshot_locality_id, snapshot_affiliation, snapshot_vulnerable FROM enrolments"
           " WHERE withdrawn_at IS NULL")) {
    RawEnrolment e;
    e.id = idOf(row[0]);
    e.participant_id = idOf(row[1]);
    e.cohort_id = idOf(row[2]);
    e.gender = row[3].value();
    e.birth_year = std::stoi(row[4].value());
    e.locality_id = idOf(row[5]);
    e.affiliation = row[6].value();
    e.vulnerable = static_cast<unsigned>(std::stoul(row[7].value()));
    enrolment_at[e.id] = raw.enrolments.size();
    raw.enrolments.push_back(std::move(e));
  }
  for (const auto& row : db.queryRows("SELECT session_id, enrolment_id, status FROM attendance")) {
    const Id session_id = idOf(row[0]);
    const std::string& status = row[2].value();
    ++raw.attendance_rows;
    // A cancelled session is not held, a withdrawn enrolment is counted in no measure: their
    // marks are kept and count nowhere.
    if (!session_at.contains(session_id) || !enrolment_at.contains(idOf(row[1]))) continue;
    raw.enrolments.at(enrolment_at.at(idOf(row[1]))).marks.push_back({session_id, status});
    if (status == "present" || status == "late") {
      const auto& [cohort_id, index] = session_at.at(session_id);
      raw.cohorts.at(cohort_id).sessions[index].attended = true;
    }
  }
  for (const auto& row :
       db.queryRows("SELECT enrolment_id, waiver_reason IS NOT NULL FROM "
                    "certificates WHERE status = 'valid' OR erased_at IS NOT NULL")) {
    if (!enrolment_at.contains(idOf(row[0]))) continue;
    auto& held = raw.enrolments.at(enrolment_at.at(idOf(row[0]))).certificate;
    if (held) throw std::logic_error("two valid certificates for one enrolment");
    held = row[1].value() != "0";
    ++raw.certificate_rows;
  }
  return raw;
}

// ---------------------------------------------------------------------------------------------
// The reference: the counting rules of courses/totals.hpp, applied to the raw rows directly.

struct RefBand {
  int from = 0;
  std::optional<int> to;
  bool youth = false;
  std::string key() const {
    return to ? std::to_string(from) + "-" + std::to_string(*to) : std::to_string(from) + "+";
  }
};

std::vector<RefBand> referenceBands(std::vector<int> bounds, const courses::YouthBand& youth) {
  if (bounds.empty()) {
    bounds = {youth.from, youth.to + 1};
    if (60 > youth.to + 1) bounds.push_back(60);
  }
  std::vector<RefBand> bands;
  if (bounds.front() > 0) bands.push_back({0, bounds.front() - 1, false});
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    RefBand band{bounds[i], std::nullopt, false};
    if (i + 1 < bounds.size()) band.to = bounds[i + 1] - 1;
    bands.push_back(band);
  }
  for (RefBand& band : bands) band.youth = band.from == youth.from && band.to == youth.to;
  return bands;
}

struct RefValues {
  long long enrolled = 0;
  long long reached = 0;
  long long trained = 0;
  long long trained_with_waiver = 0;
  long long certified = 0;
  std::optional<long long> sessions;
  double participant_hours = 0;
  long long attended_marks = 0;
  long long marks = 0;
};

struct RefCell {
  std::set<Id> enrolled, reached, by_rule, by_waiver, certified, sessions;
  long long minutes = 0;
  long long attended_marks = 0;
  long long marks = 0;
  bool whole_cohorts = true;

  RefValues values() const {
    RefValues v;
    v.enrolled = static_cast<long long>(enrolled.size());
    v.reached = static_cast<long long>(reached.size());
    std::set<Id> trained = by_rule;
    trained.insert(by_waiver.begin(), by_waiver.end());
    v.trained = static_cast<long long>(trained.size());
    for (const Id p : by_waiver) v.trained_with_waiver += by_rule.contains(p) ? 0 : 1;
    v.certified = static_cast<long long>(certified.size());
    if (whole_cohorts) v.sessions = static_cast<long long>(sessions.size());
    v.participant_hours = static_cast<double>(minutes) / 60.0;
    v.attended_marks = attended_marks;
    v.marks = marks;
    return v;
  }
};

struct RefReport {
  RefValues total;
  std::vector<std::map<std::string, RefValues>> margins;
  std::map<Keys, RefValues> cells;
  std::vector<RefBand> bands;
};

/// What one enrolment contributes to the cells it falls into.
struct Contribution {
  Id person = 0;
  bool enrolled = false;
  bool reached = false;
  bool by_rule = false;
  bool by_waiver = false;
  bool certified = false;
  long long minutes = 0;
  long long attended_marks = 0;
  long long marks = 0;
  std::vector<Id> delivered;  ///< the cohort's sessions in the period with someone attending

  void addTo(RefCell& cell) const {
    if (enrolled) cell.enrolled.insert(person);
    if (reached) cell.reached.insert(person);
    if (by_rule) cell.by_rule.insert(person);
    if (by_waiver) cell.by_waiver.insert(person);
    if (certified) cell.certified.insert(person);
    cell.minutes += minutes;
    cell.attended_marks += attended_marks;
    cell.marks += marks;
    cell.sessions.insert(delivered.begin(), delivered.end());
  }
};

class Reference {
 public:
  Reference(const Raw& raw, std::map<Id, courses::YouthBand> youth)
      : raw_(raw), youth_(std::move(youth)) {}

  /// The course's completion rule over all the cohort's sessions: present and late count, excused
  /// only when the rule says so; ceil(percent × sessions / 100) of them, or all with require_all;
  /// a cohort without sessions completes nobody.
  bool meetsRule(const RawEnrolment& e) const {
    const RawCohort& cohort = raw_.cohorts.at(e.cohort_id);
    const RawCourse& course = raw_.courses.at(cohort.course_id);
    int counted = 0;
    for (const RawMark& m : e.marks) {
      if (m.status == "present" || m.status == "late" ||
          (m.status == "excused" && course.excused_counts)) {
        ++counted;
      }
    }
    const int n = static_cast<int>(cohort.sessions.size());
    const int required =
        course.require_all ? n : static_cast<int>(std::ceil(course.percent * n / 100.0 - 1e-9));
    return n > 0 && counted >= required;
  }

  RefReport compute(const courses::TotalsQuery& query, std::optional<Id> trainer) const {
    const auto& from = query.period.from;
    const auto& to = query.period.to;
    const auto inPeriod = [&](const std::string& date) {
      return (!from || date >= *from) && (!to || date <= *to);
    };
    courses::YouthBand youth;
    if (query.programme_id) youth = youth_.at(*query.programme_id);
    RefReport report;
    report.bands = referenceBands(query.age_bounds, youth);

    RefCell total;
    std::vector<std::map<std::string, RefCell>> margins(query.by.size());
    std::map<Keys, RefCell> cells;
    for (const RawEnrolment& e : raw_.enrolments) {
      const RawCohort& cohort = raw_.cohorts.at(e.cohort_id);
      const RawCourse& course = raw_.courses.at(cohort.course_id);
      if (query.programme_id && course.programme_id != *query.programme_id) continue;
      if (query.track && course.track != *query.track) continue;
      if (trainer && !cohort.trainers.contains(*trainer)) continue;

      Contribution c;
      c.person = e.participant_id;
      bool session_in_period = false;
      std::string last_session;
      std::map<Id, const RawSession*> sessions;
      for (const RawSession& s : cohort.sessions) {
        sessions[s.id] = &s;
        if (inPeriod(s.date)) {
          session_in_period = true;
          if (s.attended) c.delivered.push_back(s.id);
        }
        last_session = std::max(last_session, s.date);
      }
      // Enrolled: a session in the period, or without sessions, dates overlapping it.
      c.enrolled = cohort.sessions.empty()
                       ? (!to || cohort.starts_on <= *to) && (!from || cohort.ends_on >= *from)
                       : session_in_period;
      // Completion date: the last session's date, else the end date.
      const bool completes = inPeriod(cohort.sessions.empty() ? cohort.ends_on : last_session);

      for (const RawMark& m : e.marks) {
        const bool attended = m.status == "present" || m.status == "late";
        const RawSession& s = *sessions.at(m.session_id);
        if (!inPeriod(s.date)) continue;
        ++c.marks;
        if (attended) {
          ++c.attended_marks;
          c.minutes += s.minutes;
        }
      }
      c.reached = c.attended_marks > 0;
      c.by_rule = completes && meetsRule(e);
      c.by_waiver = completes && e.certificate && *e.certificate;
      c.certified = completes && e.certificate.has_value();

      c.addTo(total);
      std::vector<Keys> keys;  // per dimension
      for (const Dimension d : query.by) keys.push_back(keysOf(d, e, cohort, course, report.bands));
      for (std::size_t i = 0; i < query.by.size(); ++i) {
        for (const auto& k : keys[i]) {
          RefCell& cell = margins[i][k];
          cell.whole_cohorts = describesCohorts(query.by[i]);
          c.addTo(cell);
        }
      }
      if (query.by.size() == 2) {
        for (const auto& k1 : keys[0]) {
          for (const auto& k2 : keys[1]) {
            RefCell& cell = cells[{k1, k2}];
            cell.whole_cohorts = describesCohorts(query.by[0]) && describesCohorts(query.by[1]);
            c.addTo(cell);
          }
        }
      }
    }
    report.total = total.values();
    for (const auto& margin : margins) {
      auto& out = report.margins.emplace_back();
      for (const auto& [key, cell] : margin) out[key] = cell.values();
    }
    for (const auto& [keys, cell] : cells) report.cells[keys] = cell.values();
    return report;
  }

 private:
  std::optional<Id> ancestor(Id locality, const std::set<std::string>& kinds) const {
    std::optional<Id> at = locality;
    while (at) {
      const RawLocality& l = raw_.localities.at(*at);
      if (kinds.contains(l.kind)) return at;
      at = l.parent;
    }
    return std::nullopt;
  }

  Keys keysOf(Dimension d, const RawEnrolment& e, const RawCohort& cohort, const RawCourse& course,
              const std::vector<RefBand>& bands) const {
    const auto place = [&](const std::set<std::string>& kinds) -> Keys {
      const auto id = ancestor(e.locality_id, kinds);
      return {id ? std::to_string(*id) : "not_stated"};
    };
    switch (d) {
      case Dimension::track:
        return {course.track};
      case Dimension::course:
        return {std::to_string(cohort.course_id)};
      case Dimension::cohort:
        return {std::to_string(cohort.id)};
      case Dimension::gender:
        return {e.gender};
      case Dimension::age_band: {
        const int age = std::stoi(cohort.starts_on.substr(0, 4)) - e.birth_year;
        for (const RefBand& band : bands) {
          if (age >= band.from && (!band.to || age <= *band.to)) return {band.key()};
        }
        return {};
      }
      case Dimension::region:
        return place({"region"});
      case Dimension::district:
        return place({"district"});
      case Dimension::settlement:
        return place({"settlement", "rural_district"});
      case Dimension::locality:
        return {std::to_string(e.locality_id)};
      case Dimension::affiliation:
        return {e.affiliation};
      case Dimension::vulnerable_group: {
        Keys keys;
        for (unsigned bit = 0; bit < 6; ++bit) {
          if ((e.vulnerable & (1u << bit)) != 0) keys.emplace_back(kVulnerableNames[bit]);
        }
        return keys;
      }
    }
    return {};
  }

  const Raw& raw_;
  std::map<Id, courses::YouthBand> youth_;
};

// ---------------------------------------------------------------------------------------------
// Comparing a report with the reference.

RefValues fromReport(const courses::MeasureValues& m) {
  RefValues v;
  v.enrolled = m.enrolled;
  v.reached = m.reached;
  v.trained = m.trained;
  v.trained_with_waiver = m.trained_with_waiver;
  v.certified = m.certified;
  v.sessions = m.sessions;
  v.participant_hours = m.participant_hours;
  v.attended_marks = m.attended_marks;
  v.marks = m.marks;
  return v;
}

std::string describe(const courses::TotalsQuery& q, std::optional<Id> trainer) {
  std::ostringstream text;
  text << "programme=" << (q.programme_id ? std::to_string(*q.programme_id) : "all")
       << " period=" << q.period.from.value_or("…") << ".." << q.period.to.value_or("…")
       << " track=" << q.track.value_or("-")
       << " trainer=" << (trainer ? std::to_string(*trainer) : "-") << " by=";
  for (std::size_t i = 0; i < q.by.size(); ++i) text << (i ? "," : "") << dimensionName(q.by[i]);
  text << " age_bands=";
  for (std::size_t i = 0; i < q.age_bounds.size(); ++i) text << (i ? "," : "") << q.age_bounds[i];
  return text.str();
}

std::string keysText(const Keys& keys) {
  std::string text = "[";
  for (std::size_t i = 0; i < keys.size(); ++i) text += (i ? ", " : "") + keys[i];
  return text + "]";
}

/// Counts what was compared and reports every difference (the first few of each query in full).
class Comparison {
 public:
  explicit Comparison(std::string query) : query_(std::move(query)) {}

  void values(const std::string& where, const RefValues& got, const RefValues& expected) {
    count("enrolled", where, got.enrolled, expected.enrolled);
    count("reached", where, got.reached, expected.reached);
    count("trained", where, got.trained, expected.trained);
    count("trained_with_waiver", where, got.trained_with_waiver, expected.trained_with_waiver);
    count("certified", where, got.certified, expected.certified);
    ++compared_;
    if (got.sessions != expected.sessions) {
      fail("sessions", where, got.sessions ? std::to_string(*got.sessions) : "null",
           expected.sessions ? std::to_string(*expected.sessions) : "null");
    }
    ++compared_;
    if (std::abs(got.participant_hours - expected.participant_hours) >
        1e-9 * std::max(1.0, std::abs(expected.participant_hours))) {
      std::ostringstream g, e;
      g.precision(17);
      e.precision(17);
      g << got.participant_hours;
      e << expected.participant_hours;
      fail("participant_hours", where, g.str(), e.str());
    }
    count("attended_marks", where, got.attended_marks, expected.attended_marks);
    count("marks", where, got.marks, expected.marks);
  }

  void rate(const std::string& where, const courses::MeasureValues& got,
            const RefValues& expected) {
    ++compared_;
    const std::optional<double> want =
        expected.marks == 0 ? std::nullopt
                            : std::optional<double>(static_cast<double>(expected.attended_marks) /
                                                    static_cast<double>(expected.marks));
    const auto have = got.attendanceRate();
    if (have.has_value() != want.has_value() || (have && std::abs(*have - *want) > 1e-12)) {
      fail("attendance_rate", where, have ? std::to_string(*have) : "null",
           want ? std::to_string(*want) : "null");
    }
  }

  void check(bool ok, const std::string& what) {
    ++compared_;
    if (!ok) fail(what, "", "", "");
  }

  void fail(const std::string& measure, const std::string& where, const std::string& got,
            const std::string& expected) {
    ++mismatches_;
    if (mismatches_ <= 15) {
      ADD_FAILURE() << query_ << "\n  at " << where << " " << measure << ": got " << got
                    << ", expected " << expected;
    }
  }

  std::size_t compared() const { return compared_; }
  std::size_t mismatches() const { return mismatches_; }
  void finish() const {
    if (mismatches_ > 15) {
      ADD_FAILURE() << query_ << "\n  … and " << (mismatches_ - 15) << " more differences";
    }
  }

 private:
  void count(const char* measure, const std::string& where, long long got, long long expected) {
    ++compared_;
    if (got != expected) fail(measure, where, std::to_string(got), std::to_string(expected));
  }

  std::string query_;
  std::size_t compared_ = 0;
  std::size_t mismatches_ = 0;
};

RefValues zero(bool whole_cohorts) {
  RefValues v;
  if (whole_cohorts) v.sessions = 0;
  return v;
}

struct Tally {
  std::size_t queries = 0;
  std::size_t cells = 0;  ///< totals, margin cells and crossed cells compared
  std::size_t values = 0;
  std::size_t mismatches = 0;
};

// ---------------------------------------------------------------------------------------------
// The fixture: one generated data set for the whole suite.

struct Periods {
  courses::Period all;
  std::vector<std::pair<std::string, courses::Period>> named;  ///< every period tried
  courses::Period cut;     ///< both ends cut through cohorts' sessions
  courses::Period year;    ///< a whole year
  courses::Period before;  ///< before everything
  courses::Period day;     ///< one day with sessions of a cohort that has more on other days
  courses::Period gap;     ///< one day inside a cohort's session span without its sessions
};

class TotalsReference : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // A failure here fails every test of the suite (SetUp), rather than letting them run on no
    // data.
    try {
      generate();
    } catch (const std::exception& error) {
      setup_error_ = error.what();
    }
  }

  void SetUp() override {
    if (!setup_error_.empty()) FAIL() << "the data set could not be generated: " << setup_error_;
  }

  static void generate() {
    unsigned seed = 20170201;
    if (const char* text = std::getenv("QATYSU_TOTALS_SEED"); text != nullptr && *text != '\0') {
      seed = static_cast<unsigned>(std::stoul(text));
    }
    std::cout << "[ SEED     ] QATYSU_TOTALS_SEED=" << seed << std::endl;
    database_ = std::make_unique<support::db::TestDatabase>("qatysu_totals_ref");
    store_ = std::make_unique<courses::mariadb::Store>(database_->config());
    generated_ = std::make_unique<Generated>(Generator(store_->repositories(), seed).run());
    eraseSome();
    raw_ = std::make_unique<Raw>(readRaw(*database_));
    std::map<Id, courses::YouthBand> youth;
    for (const auto& p : generated_->programmes) youth[p.id] = p.youth;
    reference_ = std::make_unique<Reference>(*raw_, youth);
    periods_ = choosePeriods();
    const Generated& g = *generated_;
    std::cout << "[ DATA     ] " << g.people.size() << " people, " << g.cohorts.size()
              << " cohorts, " << raw_->enrolments.size() << " enrolments, " << raw_->attendance_rows
              << " attendance rows (" << g.sheets_saved << " sheets, " << g.marks_saved
              << " marks saved), " << g.profile_edits << " profiles edited, "
              << g.certificates_issued << " certificates issued (" << g.waivers_issued
              << " with a waiver, " << g.waivers_not_meeting_rule
              << " of them not meeting the rule), " << g.revocations << " revoked, " << g.reissued
              << " reissued; " << raw_->certificate_rows << " valid now; generated in " << g.seconds
              << " s (" << g.phases << ")" << std::endl;
  }
  // Erases every 23rd person (some hold certificates, some a learner account): the totals must
  // count them as before (courses/data_rights.hpp), and the reference counts a certificate
  // revoked by an erasure as issued, as the rule says.
  static void eraseSome() {
    courses::DataRightsRepository& rights = store_->dataRights();
    for (std::size_t i = 0; i < generated_->people.size(); i += 23) {
      const Id id = generated_->people[i].id;
      rights.erase(id,
                   courses::EditBasis{.version = std::nullopt,
                                      .change = {.account_id = 0, .reason = "on request"}},
                   "2026-12-01T10:00:00Z");
      erased_.push_back(id);
    }
  }
  static void TearDownTestSuite() {
    std::cout << "[ COMPARED ] " << tally_.queries << " queries, " << tally_.cells << " cells, "
              << tally_.values << " values, " << tally_.mismatches << " differences" << std::endl;
    reference_.reset();
    raw_.reset();
    generated_.reset();
    store_.reset();
    database_.reset();
  }

  static Periods choosePeriods() {
    Periods p;
    p.year = {"2018-01-01", "2018-12-31"};
    p.before = {"2010-01-01", "2016-12-31"};
    // The cut: from the second session date of an early cohort that has several session dates to
    // the second-to-last of a late one.
    std::vector<std::vector<std::string>> dates;  // distinct session dates per cohort, by start
    for (const auto& [id, cohort] : raw_->cohorts) {
      std::set<std::string> d;
      for (const auto& s : cohort.sessions) d.insert(s.date);
      if (d.size() >= 3) dates.emplace_back(d.begin(), d.end());
    }
    std::sort(dates.begin(), dates.end());
    const auto& early = dates[dates.size() / 5];
    const auto& late = dates[dates.size() * 4 / 5];
    p.cut = {early[1], late[late.size() - 2]};
    const auto& middle = dates[dates.size() / 2];
    p.day = {middle[1], middle[1]};
    // A gap: a day strictly between two session dates of one cohort.
    for (const auto& d : dates) {
      for (std::size_t i = 0; i + 1 < d.size(); ++i) {
        if (toDays(d[i + 1]) - toDays(d[i]) >= 2 && !p.gap.from) {
          const std::string gap = fromDays(toDays(d[i]) + 1);
          p.gap = {gap, gap};
        }
      }
    }
    p.named = {{"all time", p.all},
               {"2017", {"2017-01-01", "2017-12-31"}},
               {"2018", p.year},
               {"2019", {"2019-01-01", "2019-12-31"}},
               {"2020", {"2020-01-01", "2020-12-31"}},
               {"cut", p.cut},
               {"before", p.before},
               {"day", p.day},
               {"from 2019", {"2019-01-01", std::nullopt}},
               {"to mid-2018", {std::nullopt, "2018-06-30"}}};
    if (p.gap.from) p.named.emplace_back("gap", p.gap);
    std::cout << "[ PERIODS  ] cut " << *p.cut.from << ".." << *p.cut.to << ", day " << *p.day.from
              << ", gap " << p.gap.from.value_or("none") << std::endl;
    return p;
  }

  static courses::Actor admin() {
    return courses::Actor{generated_->admin.id, courses::Role::admin, std::nullopt};
  }
  static Id programme(std::size_t i) { return generated_->programmes[i].id; }

  static courses::TotalsQuery query(std::optional<Id> programme_id, const courses::Period& period,
                                    std::vector<Dimension> by = {},
                                    std::optional<std::string> track = std::nullopt,
                                    std::vector<int> age_bounds = {}) {
    courses::TotalsQuery q;
    q.programme_id = programme_id;
    q.period = period;
    q.by = std::move(by);
    q.track = std::move(track);
    q.age_bounds = std::move(age_bounds);
    return q;
  }

  /// Runs the query through the service and compares every cell with the reference. Returns the
  /// report for further checks.
  static courses::TotalsReport compare(const courses::TotalsQuery& q, const courses::Actor& actor) {
    const std::optional<Id> trainer =
        actor.role == courses::Role::trainer ? std::optional<Id>(actor.account_id) : std::nullopt;
    Comparison cmp(describe(q, trainer));
    courses::TotalsService service(store_->repositories());
    const courses::TotalsReport report = service.totals(actor, q);
    const RefReport ref = reference_->compute(q, trainer);
    std::size_t cells = 1;

    cmp.values("total", fromReport(report.total), ref.total);
    cmp.rate("total", report.total, ref.total);
    cmp.check(report.total.hidden == 0, "total: nothing hidden without suppression");

    cmp.check(report.margins.size() == q.by.size(), "one margin per dimension");
    cmp.check(report.values.size() == q.by.size(), "one value list per dimension");
    for (std::size_t d = 0; d < q.by.size() && d < report.margins.size(); ++d) {
      const bool whole = describesCohorts(q.by[d]);
      std::set<std::string> seen;
      for (std::size_t i = 0; i < report.margins[d].size(); ++i) {
        const courses::TotalsCell& cell = report.margins[d][i];
        const std::string where = std::string(dimensionName(q.by[d])) + " " + keysText(cell.keys);
        if (cell.keys.size() != 1) {
          cmp.fail("keys", where, std::to_string(cell.keys.size()) + " keys", "1");
          continue;
        }
        cmp.check(seen.insert(cell.keys[0]).second, where + " appears once");
        cmp.check(d < report.values.size() && i < report.values[d].size() &&
                      report.values[d][i].key == cell.keys[0],
                  where + " is in the order of the dimension's values");
        const auto it = ref.margins[d].find(cell.keys[0]);
        const RefValues expected = it == ref.margins[d].end() ? zero(whole) : it->second;
        cmp.values(where, fromReport(cell.values), expected);
        cmp.rate(where, cell.values, expected);
        cmp.check(cell.values.hidden == 0, where + ": nothing hidden");
        ++cells;
      }
      for (const auto& [key, expected] : ref.margins[d]) {
        if (seen.contains(key)) continue;
        const std::string where = std::string(dimensionName(q.by[d])) + " [" + key + "] (missing)";
        cmp.values(where, zero(whole), expected);
        ++cells;
      }
    }

    if (q.by.size() == 2) {
      const bool whole = describesCohorts(q.by[0]) && describesCohorts(q.by[1]);
      std::set<Keys> seen;
      std::vector<std::map<std::string, std::size_t>> order(2);
      for (std::size_t d = 0; d < 2 && d < report.values.size(); ++d) {
        for (std::size_t i = 0; i < report.values[d].size(); ++i)
          order[d][report.values[d][i].key] = i;
      }
      std::pair<std::size_t, std::size_t> previous{0, 0};
      bool first = true;
      for (const courses::TotalsCell& cell : report.cells) {
        const std::string where = std::string(dimensionName(q.by[0])) + "×" +
                                  dimensionName(q.by[1]) + " " + keysText(cell.keys);
        if (cell.keys.size() != 2) {
          cmp.fail("keys", where, std::to_string(cell.keys.size()) + " keys", "2");
          continue;
        }
        cmp.check(seen.insert(cell.keys).second, where + " appears once");
        const auto a = order[0].find(cell.keys[0]);
        const auto b = order[1].find(cell.keys[1]);
        cmp.check(a != order[0].end() && b != order[1].end(), where + " keys are values");
        if (a != order[0].end() && b != order[1].end()) {
          const std::pair<std::size_t, std::size_t> at{a->second, b->second};
          cmp.check(first || previous < at, where + " in the dimensions' order");
          previous = at;
          first = false;
        }
        const auto it = ref.cells.find(cell.keys);
        const RefValues expected = it == ref.cells.end() ? zero(whole) : it->second;
        cmp.values(where, fromReport(cell.values), expected);
        cmp.rate(where, cell.values, expected);
        ++cells;
      }
      for (const auto& [keys, expected] : ref.cells) {
        if (seen.contains(keys)) continue;
        cmp.values(std::string(dimensionName(q.by[0])) + "×" + dimensionName(q.by[1]) + " " +
                       keysText(keys) + " (missing)",
                   zero(whole), expected);
        ++cells;
      }
    } else {
      cmp.check(report.cells.empty(), "no crossed cells without two dimensions");
    }

    if (std::find(q.by.begin(), q.by.end(), Dimension::age_band) != q.by.end()) {
      cmp.check(report.age_bands.size() == ref.bands.size(), "as many age bands as expected");
      for (std::size_t i = 0; i < ref.bands.size() && i < report.age_bands.size(); ++i) {
        const auto& got = report.age_bands[i];
        const auto& want = ref.bands[i];
        cmp.check(got.from == want.from && got.to == want.to && got.key() == want.key(),
                  "age band " + want.key());
        if (q.programme_id) cmp.check(got.youth == want.youth, "youth mark of band " + want.key());
      }
    }
    if (std::find(q.by.begin(), q.by.end(), Dimension::vulnerable_group) != q.by.end()) {
      cmp.check(report.overlapping, "vulnerable groups overlap");
    }

    cmp.finish();
    ++tally_.queries;
    tally_.cells += cells;
    tally_.values += cmp.compared();
    tally_.mismatches += cmp.mismatches();
    return report;
  }

  static inline std::unique_ptr<support::db::TestDatabase> database_;
  static inline std::unique_ptr<courses::mariadb::Store> store_;
  static inline std::unique_ptr<Generated> generated_;
  static inline std::unique_ptr<Raw> raw_;
  static inline std::unique_ptr<Reference> reference_;
  static inline Periods periods_;
  static inline Tally tally_;
  static inline std::string setup_error_;
  static inline std::vector<Id> erased_;
};

const std::vector<std::pair<Dimension, Dimension>> kCrosses = {
    {Dimension::gender, Dimension::district},    {Dimension::track, Dimension::vulnerable_group},
    {Dimension::age_band, Dimension::region},    {Dimension::course, Dimension::gender},
    {Dimension::cohort, Dimension::affiliation}, {Dimension::settlement, Dimension::gender}};

TEST_F(TotalsReference, GeneratedDataSetIsVariedAndItsAggregatesAreExact) {
  const Generated& g = *generated_;
  EXPECT_EQ(store_->checkTotals(), 0);
  // The data set has what the comparisons need: people in several cohorts of one track and in
  // several programmes, snapshots that differ between one person's enrolments, waivers that
  // bypass the rule, revocations, cohorts without sessions and without enrolments.
  std::map<Id, std::set<Id>> programmes_of, tracks_twice;
  std::map<std::pair<Id, std::string>, int> per_track;
  std::map<Id, std::set<std::string>> snapshots;
  for (const RawEnrolment& e : raw_->enrolments) {
    const RawCourse& course = raw_->courses.at(raw_->cohorts.at(e.cohort_id).course_id);
    programmes_of[e.participant_id].insert(course.programme_id);
    ++per_track[{e.participant_id, course.track}];
    snapshots[e.participant_id].insert(e.gender + std::to_string(e.birth_year) + "/" +
                                       std::to_string(e.locality_id) + e.affiliation +
                                       std::to_string(e.vulnerable));
  }
  const auto people = [](const auto& map, auto predicate) {
    return std::count_if(map.begin(), map.end(), predicate);
  };
  EXPECT_GT(people(programmes_of, [](const auto& kv) { return kv.second.size() > 1; }), 100);
  EXPECT_GT(people(per_track, [](const auto& kv) { return kv.second > 1; }), 100);
  EXPECT_GT(people(snapshots, [](const auto& kv) { return kv.second.size() > 1; }), 100);
  EXPECT_GT(g.waivers_not_meeting_rule, 10u);
  EXPECT_GT(g.revocations, 10u);
  EXPECT_GT(raw_->enrolments.size(), 4000u);
  const auto no_sessions = std::count_if(raw_->cohorts.begin(), raw_->cohorts.end(),
                                         [](const auto& kv) { return kv.second.sessions.empty(); });
  EXPECT_GT(no_sessions, 5);
  EXPECT_TRUE(periods_.gap.from.has_value());
  // Certificates held without meeting the rule: waived ones (trained through the waiver only) and,
  // after the re-marking, plain ones (certified, not trained).
  std::size_t waived_without_rule = 0;
  std::size_t certified_without_rule = 0;
  for (const RawEnrolment& e : raw_->enrolments) {
    if (!e.certificate || reference_->meetsRule(e)) continue;
    ++(*e.certificate ? waived_without_rule : certified_without_rule);
  }
  std::cout << "[ DATA     ] valid certificates without the rule met: " << waived_without_rule
            << " waived, " << certified_without_rule << " not waived" << std::endl;
  EXPECT_GT(waived_without_rule, 10u);
  EXPECT_GT(certified_without_rule, 10u);
  const RefValues all = reference_->compute(query(std::nullopt, periods_.all), std::nullopt).total;
  std::cout << "[ DATA     ] all programmes, all time: enrolled " << all.enrolled << ", reached "
            << all.reached << ", trained " << all.trained << " (" << all.trained_with_waiver
            << " with a waiver only), certified " << all.certified << ", sessions "
            << all.sessions.value_or(-1) << ", participant-hours " << all.participant_hours
            << ", marks " << all.attended_marks << "/" << all.marks << std::endl;
  EXPECT_GT(all.trained_with_waiver, 10);
}

TEST_F(TotalsReference, TotalsOfEveryProgrammeAndPeriod) {
  for (const auto& [name, period] : periods_.named) {
    for (std::size_t p = 0; p < 3; ++p) compare(query(programme(p), period), admin());
    compare(query(std::nullopt, period), admin());
  }
  const auto empty = compare(query(programme(0), periods_.before), admin());
  EXPECT_EQ(empty.total.enrolled, 0);
  EXPECT_EQ(empty.total.sessions, 0);
}

TEST_F(TotalsReference, EverySingleDimension) {
  const std::vector<courses::Period> periods = {periods_.all, periods_.year, periods_.cut,
                                                periods_.day, periods_.gap};
  for (std::size_t p = 0; p < 3; ++p) {
    for (const Dimension d : kAllDimensions) {
      for (const auto& period : periods) compare(query(programme(p), period, {d}), admin());
    }
  }
  for (const Dimension d : kAllDimensions) {
    if (d == Dimension::age_band) continue;  // bands come from one programme's youth definition
    compare(query(std::nullopt, periods_.all, {d}), admin());
    compare(query(std::nullopt, periods_.cut, {d}), admin());
  }
}

TEST_F(TotalsReference, CrossTabs) {
  const std::vector<courses::Period> periods = {
      periods_.all, {"2019-01-01", "2019-12-31"}, periods_.cut, periods_.before, periods_.day};
  for (std::size_t p = 0; p < 3; ++p) {
    for (const auto& [a, b] : kCrosses) {
      for (const auto& period : periods) compare(query(programme(p), period, {a, b}), admin());
    }
  }
  for (const auto& [a, b] : kCrosses) {
    compare(query(std::nullopt, periods_.all, {a, b}, std::nullopt, {18, 30, 45, 60}), admin());
    compare(query(std::nullopt, periods_.cut, {b, a}, std::nullopt, {18, 30, 45, 60}), admin());
  }
  // Two dimensions of whole cohorts keep sessions in their cells.
  compare(query(programme(0), periods_.cut, {Dimension::track, Dimension::cohort}), admin());
}

TEST_F(TotalsReference, TrackFilter) {
  const std::vector<std::pair<std::size_t, std::string>> tracks = {
      {0, "inclusive_planning"}, {0, "study_visit"}, {0, "information_event"},
      {1, "entrepreneurship"},   {2, "study_visit"}, {1, "no_such_track"}};
  const std::vector<std::vector<Dimension>> breakdowns = {
      {},
      {Dimension::gender},
      {Dimension::course},
      {Dimension::district, Dimension::gender},
      {Dimension::cohort, Dimension::affiliation}};
  for (const auto& [p, track] : tracks) {
    for (const auto& by : breakdowns) {
      compare(query(programme(p), periods_.all, by, track), admin());
      compare(query(programme(p), periods_.cut, by, track), admin());
    }
  }
  for (const auto& by : breakdowns) {
    compare(query(std::nullopt, periods_.all, by, "entrepreneurship"), admin());
  }
}

TEST_F(TotalsReference, TrainerSeesOnlyTheirCohorts) {
  std::map<Id, int> cohorts_of;
  for (const auto& [id, cohort] : raw_->cohorts) {
    for (const Id t : cohort.trainers) ++cohorts_of[t];
  }
  const std::vector<std::vector<Dimension>> breakdowns = {
      {},
      {Dimension::cohort},
      {Dimension::gender, Dimension::district},
      {Dimension::track, Dimension::vulnerable_group}};
  for (const std::size_t t : {std::size_t{0}, std::size_t{3}}) {
    const courses::Account& trainer = generated_->trainers[t];
    ASSERT_GT(cohorts_of[trainer.id], 5);
    const courses::Actor actor{trainer.id, courses::Role::trainer, std::nullopt};
    for (const auto& by : breakdowns) {
      for (const auto& period : {periods_.all, periods_.year, periods_.cut}) {
        const auto report = compare(query(programme(0), period, by), actor);
        EXPECT_TRUE(report.targets.empty());
        compare(query(programme(1), period, by), actor);
      }
    }
  }
}

TEST_F(TotalsReference, CustomAgeBands) {
  const std::vector<std::pair<std::size_t, std::vector<int>>> bands = {
      {0, {18, 30, 45, 60}}, {1, {25}}, {2, {14, 36, 60}}, {1, {16, 30}}, {2, {18, 31, 60}}};
  for (const auto& [p, bounds] : bands) {
    for (const auto& by :
         std::vector<std::vector<Dimension>>{{Dimension::age_band},
                                             {Dimension::age_band, Dimension::gender},
                                             {Dimension::region, Dimension::age_band}}) {
      compare(query(programme(p), periods_.all, by, std::nullopt, bounds), admin());
      compare(query(programme(p), {"2019-01-01", "2019-12-31"}, by, std::nullopt, bounds), admin());
    }
  }
}

TEST_F(TotalsReference, TargetsShowTheActualFigures) {
  courses::TotalsService service(store_->repositories());
  std::vector<courses::Target> targets = {
      {courses::Measure::trained, std::nullopt, 400},
      {courses::Measure::trained, "inclusive_planning", 60},
      {courses::Measure::reached, "entrepreneurship", 50},
      {courses::Measure::certified, "study_visit", 8},
      {courses::Measure::enrolled, std::nullopt, 1000},
      {courses::Measure::sessions, std::nullopt, 300},
  };
  service.setTargets(admin(), programme(0), targets);
  for (const auto& period : {periods_.all, periods_.year, periods_.cut}) {
    const auto report = compare(query(programme(0), period), admin());
    ASSERT_EQ(report.targets.size(), targets.size());
    for (const courses::TargetProgress& got : report.targets) {
      courses::TotalsQuery q = query(programme(0), period, {}, got.target.track);
      const RefValues want = reference_->compute(q, std::nullopt).total;
      long long actual = 0;
      switch (got.target.measure) {
        case courses::Measure::trained:
          actual = want.trained;
          break;
        case courses::Measure::reached:
          actual = want.reached;
          break;
        case courses::Measure::certified:
          actual = want.certified;
          break;
        case courses::Measure::enrolled:
          actual = want.enrolled;
          break;
        case courses::Measure::sessions:
          actual = want.sessions.value_or(0);
          break;
        default:
          FAIL() << "unexpected target measure";
      }
      EXPECT_EQ(got.actual, actual) << "target " << static_cast<int>(got.target.measure) << " "
                                    << got.target.track.value_or("(programme)");
      EXPECT_NEAR(got.progress, static_cast<double>(actual) / static_cast<double>(got.target.value),
                  1e-12);
    }
  }
}

// Corrections through the service: sessions cancelled (some restored again), moved and re-timed.
// The aggregates kept by the edits stay equal to the raw rows, and every figure to the reference
// read again from them. The later tests compare against the corrected data set.
TEST_F(TotalsReference, CorrectedSessionsKeepTheTotalsExact) {
  courses::CohortService cohorts(store_->repositories());
  std::mt19937 random(generated_->seed + 1);
  std::size_t cancelled = 0, restored = 0, moved = 0, retimed = 0;
  std::vector<Id> cancelled_ids;
  for (const auto& sessions : generated_->sessions) {
    for (const courses::Session& session : sessions) {
      const auto roll = random() % 100;
      courses::SessionPatch patch;
      if (roll < 8) {
        patch.cancel_reason = std::optional<std::string>("Қар жауды");
        cancelled_ids.push_back(session.id);
        ++cancelled;
      } else if (roll < 12) {
        // A day later, keeping the time of day.
        const std::string date = fromDays(toDays(session.starts_at.substr(0, 10)) + 1);
        patch.starts_at = date + session.starts_at.substr(10);
        ++moved;
      } else if (roll < 16) {
        patch.duration_minutes = session.duration_minutes + 30;
        ++retimed;
      } else {
        continue;
      }
      const courses::Session now = store_->repositories().cohorts.findSession(session.id).value();
      cohorts.updateSession(admin(), session.id, patch, now.version);
    }
  }
  for (std::size_t i = 0; i < cancelled_ids.size(); i += 5) {
    courses::SessionPatch restore;
    restore.cancel_reason = std::optional<std::string>();
    cohorts.updateSession(admin(), cancelled_ids[i], restore, std::nullopt);
    ++restored;
  }
  std::cout << "[ CORRECT  ] " << cancelled << " sessions cancelled (" << restored
            << " restored again), " << moved << " moved, " << retimed << " re-timed" << std::endl;
  ASSERT_GT(cancelled - restored, 10u);
  ASSERT_GT(moved, 10u);
  ASSERT_GT(retimed, 10u);
  EXPECT_EQ(store_->checkTotals(), 0);

  const std::size_t held_before = [] {
    std::size_t n = 0;
    for (const auto& [id, c] : raw_->cohorts) n += c.sessions.size();
    return n;
  }();
  raw_ = std::make_unique<Raw>(readRaw(*database_));
  std::map<Id, courses::YouthBand> youth;
  for (const auto& p : generated_->programmes) youth[p.id] = p.youth;
  reference_ = std::make_unique<Reference>(*raw_, youth);
  std::size_t held_after = 0;
  for (const auto& [id, c] : raw_->cohorts) held_after += c.sessions.size();
  EXPECT_EQ(held_before - held_after, cancelled - restored);

  for (const auto& period : {periods_.all, periods_.year, periods_.cut, periods_.day}) {
    for (std::size_t p = 0; p < 3; ++p) {
      compare(query(programme(p), period), admin());
      compare(query(programme(p), period, {Dimension::track, Dimension::gender}), admin());
      compare(query(programme(p), period, {Dimension::cohort}), admin());
    }
    compare(query(std::nullopt, period, {Dimension::district}), admin());
  }
  const courses::Actor trainer{generated_->trainers[0].id, courses::Role::trainer, std::nullopt};
  compare(query(programme(0), periods_.cut, {Dimension::cohort}), trainer);
}

// The erasures of the set-up, row by row: one transaction left nothing of the people but what
// the totals count, and their aggregates are exact.
TEST_F(TotalsReference, ErasureKeepsOnlyWhatTheTotalsCount) {
  ASSERT_FALSE(erased_.empty());
  EXPECT_EQ(store_->checkTotals(), 0);
  std::string ids;
  for (const Id id : erased_) ids += (ids.empty() ? "" : ",") + std::to_string(id);
  const auto count = [&](const std::string& sql) { return database_->queryInt(sql); };
  const long long n = static_cast<long long>(erased_.size());
  EXPECT_EQ(count("SELECT COUNT(*) FROM participants WHERE id IN (" + ids +
                  ") AND erased_at IS NOT NULL AND full_name = '\u2014' AND name_key = ''"
                  " AND match_key = '' AND search_text = '' AND phone IS NULL AND email IS NULL"
                  " AND birth_year % 10 = 0"),
            n);
  EXPECT_EQ(count("SELECT COUNT(*) FROM certificates WHERE participant_id IN (" + ids +
                  ") AND (status = 'valid' OR full_name <> '\u2014' OR revoked_reason <>"
                  " 'erased at the holder''s request')"),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM certificate_files f JOIN certificates c"
                  " ON c.id = f.certificate_id WHERE c.participant_id IN (" +
                  ids + ")"),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM accounts WHERE participant_id IN (" + ids +
                  ") AND (disabled = 0 OR login NOT LIKE 'erased-%' OR password_hash <> '')"),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM auth_tokens t JOIN accounts a ON a.id = t.account_id"
                  " WHERE a.participant_id IN (" +
                  ids + ")"),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM participant_access WHERE participant_id IN (" + ids + ")"),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM change_fields cf JOIN changes c ON c.id = cf.change_id"
                  " WHERE c.participant_id IN (" +
                  ids +
                  ") AND c.action <> 'erased'"
                  " AND cf.field IN ('full_name', 'birth_year', 'phone', 'email')"
                  " AND (cf.old_value <> 'null' OR cf.new_value <> 'null')"),
            0);
  EXPECT_EQ(
      count("SELECT COUNT(*) FROM changes WHERE action = 'erased' AND entity_id IN (" + ids + ")"),
      n);
  // The enrolments and their snapshots stay, as the totals count them.
  EXPECT_GT(count("SELECT COUNT(*) FROM enrolments WHERE participant_id IN (" + ids + ")"), 0);
  // Erasing again is refused, and a new certificate is never made for an erased person.
  EXPECT_THROW(
      store_->dataRights().erase(erased_.front(), courses::EditBasis{}, "2026-12-02T10:00:00Z"),
      courses::Error);
}

// Corrections of people through the services: enrolments withdrawn (some restored again), and
// records merged, pairs enrolled in one cohort (their marks combined, conflicts chosen) and pairs
// that are not, some merges undone again. The aggregates kept by the writes stay equal to the raw
// rows, every figure to the reference read again from them, and a merged person counts once.
TEST_F(TotalsReference, WithdrawalsAndMergesKeepTheTotalsExact) {
  courses::EnrolmentService enrolments(store_->repositories());
  courses::MergeService merges(store_->repositories(), store_->merges());
  const std::set<Id> erased(erased_.begin(), erased_.end());
  std::mt19937 random(generated_->seed + 2);

  std::size_t withdrawn = 0, restored = 0, refused = 0;
  std::vector<Id> withdrawn_ids;
  std::set<Id> touched;  // people whose enrolments were withdrawn: not merged below
  for (const RawEnrolment& e : raw_->enrolments) {
    if (erased.contains(e.participant_id) || random() % 100 >= 4) continue;
    try {
      enrolments.setWithdrawn(admin(), e.id, "Жұмысқа кетті", std::nullopt);
      withdrawn_ids.push_back(e.id);
      touched.insert(e.participant_id);
      ++withdrawn;
    } catch (const courses::Error& error) {
      // Someone holding a valid certificate is not withdrawn (revoke it first).
      ASSERT_EQ(error.code(), courses::ErrorCode::conflict) << error.what();
      ++refused;
    }
  }
  for (std::size_t i = 0; i < withdrawn_ids.size(); i += 4) {
    enrolments.setWithdrawn(admin(), withdrawn_ids[i], std::nullopt, std::nullopt);
    ++restored;
  }
  EXPECT_EQ(store_->checkTotals(), 0);

  // Pairs: two people of one cohort (both enrolled there: combined), then two of different
  // cohorts; each person in one pair at most.
  std::map<Id, std::vector<Id>> people_of_cohort;
  for (const RawEnrolment& e : raw_->enrolments) people_of_cohort[e.cohort_id].push_back(e.participant_id);
  std::set<Id> used = touched;
  used.insert(erased.begin(), erased.end());
  std::vector<std::pair<Id, Id>> pairs;
  for (const auto& [cohort_id, people] : people_of_cohort) {
    if (random() % 100 >= 30) continue;
    std::vector<Id> free;
    for (const Id id : people) {
      if (!used.contains(id)) free.push_back(id);
    }
    if (free.size() < 2) continue;
    pairs.emplace_back(free[0], free[1]);
    used.insert({free[0], free[1]});
  }
  const std::size_t same_cohort = pairs.size();
  std::vector<Id> others;
  for (const auto& person : generated_->people) {
    if (!used.contains(person.id)) others.push_back(person.id);
  }
  std::shuffle(others.begin(), others.end(), random);
  for (std::size_t i = 0; i + 1 < others.size() && pairs.size() < same_cohort * 2; i += 2) {
    pairs.emplace_back(others[i], others[i + 1]);
  }

  std::size_t merged = 0, unmerged = 0, conflicts_chosen = 0, skipped = 0;
  std::map<Id, Id> merged_into;
  for (const auto& [kept, other] : pairs) {
    const courses::MergePreview preview = merges.preview(admin(), kept, other);
    std::vector<courses::MarkChoice> choices;
    bool blocked = false;
    for (const courses::MergeConflict& conflict : preview.conflicts) {
      if (conflict.kind != "marks") {
        blocked = true;  // two valid certificates, or one side withdrawn: resolved by hand first
        continue;
      }
      // Alternately the kept record's mark and the other's.
      const auto status = choices.size() % 2 == 0 ? conflict.kept_status : conflict.other_status;
      choices.push_back({conflict.session_id.value(), status.value()});
    }
    if (blocked) {
      ++skipped;
      continue;
    }
    conflicts_chosen += choices.size();
    const courses::ChangeEntry change =
        merges.merge(admin(), kept, other, choices, std::nullopt, std::string("Бір адам"));
    ++merged;
    if (merged % 5 == 0) {
      merges.undo(admin(), change.id);
      ++unmerged;
    } else {
      merged_into[other] = kept;
    }
  }
  std::cout << "[ CORRECT  ] " << withdrawn << " enrolments withdrawn (" << restored
            << " restored again, " << refused << " refused: a valid certificate), " << merged
            << " records merged (" << same_cohort << " pairs in one cohort, " << conflicts_chosen
            << " conflicting marks chosen, " << unmerged << " undone, " << skipped
            << " left: a conflict to resolve by hand)" << std::endl;
  ASSERT_GT(withdrawn - restored, 10u);
  ASSERT_GT(merged - unmerged, 10u);
  ASSERT_GT(same_cohort, 3u);
  ASSERT_GT(conflicts_chosen, 0u);
  EXPECT_EQ(store_->checkTotals(), 0);

  raw_ = std::make_unique<Raw>(readRaw(*database_));
  std::map<Id, courses::YouthBand> youth;
  for (const auto& p : generated_->programmes) youth[p.id] = p.youth;
  reference_ = std::make_unique<Reference>(*raw_, youth);
  // A merged record holds no enrolment the totals count: the person counts once, as the kept one.
  for (const RawEnrolment& e : raw_->enrolments) {
    EXPECT_FALSE(merged_into.contains(e.participant_id)) << "enrolment " << e.id;
  }
  for (const auto& period : {periods_.all, periods_.year, periods_.cut, periods_.day}) {
    for (std::size_t p = 0; p < 3; ++p) {
      compare(query(programme(p), period), admin());
      compare(query(programme(p), period, {Dimension::gender, Dimension::age_band}), admin());
      compare(query(programme(p), period, {Dimension::cohort}), admin());
    }
    compare(query(std::nullopt, period, {Dimension::district, Dimension::vulnerable_group}),
            admin());
  }
  const courses::Actor trainer{generated_->trainers[0].id, courses::Role::trainer, std::nullopt};
  compare(query(programme(0), periods_.cut, {Dimension::cohort}), trainer);
}

// Last: the aggregates rebuilt from the raw rows are the same as those kept by the writes, and the
// figures do not move.
TEST_F(TotalsReference, RebuildingTheAggregatesChangesNothing) {
  store_->rebuildTotals();
  EXPECT_EQ(store_->checkTotals(), 0);
  for (std::size_t p = 0; p < 3; ++p) {
    compare(query(programme(p), periods_.cut, {Dimension::gender, Dimension::district}), admin());
    compare(query(programme(p), periods_.all, {Dimension::track, Dimension::vulnerable_group}),
            admin());
  }
}

}  // namespace
