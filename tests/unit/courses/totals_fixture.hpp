#pragma once
// The world the unit tests of the totals share: a programme with two courses over a small
// locality tree, read through TotalsService over the in-memory store. Only for tests in this
// folder.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "courses/error.hpp"
#include "courses/services.hpp"
#include "courses/totals.hpp"
#include "support/domain_checks.hpp"
#include "support/fakes.hpp"
#include "support/memory_store.hpp"

namespace courses {

/// The fields an Error(invalid_argument) names, in order.
template <typename Action>
std::vector<std::string> invalidFields(Action&& action) {
  const auto error = support::errorOf(std::forward<Action>(action));
  if (!error) return {"<no error>"};
  if (error->code() != ErrorCode::invalid_argument)
    return {"<" + std::string(toString(error->code())) + ">"};
  std::vector<std::string> fields;
  for (const auto& f : error->fields()) fields.push_back(f.field);
  return fields;
}

inline std::vector<std::string> keysOf(const std::vector<DimensionValue>& values) {
  std::vector<std::string> keys;
  for (const auto& v : values) keys.push_back(v.key);
  return keys;
}

/// A programme with an inclusive-planning course (80 %, excused absences do not count) and an
/// entrepreneurship course (80 %, excused absences count), over a small locality tree:
/// East region > Glubokoe district > Belousovka settlement > Ulba village, and
/// East region > Shemonaikha district > Verkh village.
class TotalsTest : public ::testing::Test {
 protected:
  TotalsTest()
      : repos(store.repositories()),
        catalogue(repos),
        totals(repos),
        certificates(repos, maker, clock) {
    admin = makeActor(Role::admin, "admin");
    trainer_a = makeActor(Role::trainer, "trainer.a");
    trainer_b = makeActor(Role::trainer, "trainer.b");
    learner = makeActor(Role::learner, "learner");
    programme = makeProgramme("LSG-EKZ", YouthBand{});
    region = makeLocality(LocalityKind::region, std::nullopt, "East region");
    glubokoe = makeLocality(LocalityKind::district, region.id, "Glubokoe district");
    belousovka = makeLocality(LocalityKind::settlement, glubokoe.id, "Belousovka");
    ulba = makeLocality(LocalityKind::village, belousovka.id, "Ulba");
    shemonaikha = makeLocality(LocalityKind::district, region.id, "Shemonaikha district");
    verkh = makeLocality(LocalityKind::village, shemonaikha.id, "Verkh");
    planning = makeCourse(programme, "inclusive_planning", CompletionRule{80, false, false});
    business = makeCourse(programme, "entrepreneurship", CompletionRule{80, true, false});
  }

  Actor makeActor(Role role, const std::string& login) {
    Account account;
    account.login = login;
    account.role = role;
    const Account created = repos.accounts.create(account, "");
    return Actor{created.id, role, std::nullopt};
  }

  Programme makeProgramme(const std::string& code, YouthBand youth) {
    Programme p;
    p.code = code;
    p.title = {"Жергілікті басқару", "Местное управление", "Local governance"};
    p.donor = "Invented Donor Fund";
    p.starts_on = "2017-02-01";
    p.ends_on = "2020-01-31";
    p.youth = youth;
    return catalogue.createProgramme(admin, p);
  }

  Locality makeLocality(LocalityKind kind, std::optional<Id> parent, const std::string& name) {
    return catalogue.createLocality(admin,
                                    Locality{0, parent, kind, {name, name, name}, std::nullopt});
  }

  Course makeCourse(const Programme& of, const std::string& track, CompletionRule rule) {
    Course c;
    c.programme_id = of.id;
    c.track = track;
    c.title = {track + " kk", track + " ru", track + " en"};
    c.hours = 24;
    c.rule = rule;
    return catalogue.createCourse(admin, c);
  }

  Cohort makeCohort(const Course& of, const Date& starts_on, const Date& ends_on,
                    const Actor& trainer) {
    Cohort c;
    c.course_id = of.id;
    c.locality_id = glubokoe.id;
    c.place = "Akimat hall";
    c.starts_on = starts_on;
    c.ends_on = ends_on;
    c.trainer_ids = {trainer.account_id};
    return repos.cohorts.create(c);
  }
  Cohort makeCohort(const Course& of, const Date& starts_on, const Date& ends_on) {
    return makeCohort(of, starts_on, ends_on, trainer_a);
  }

  /// One session per date, at 04:00 UTC, each `minutes` long.
  std::vector<Session> sessionsOn(const Cohort& of, const std::vector<Date>& dates,
                                  int minutes = 120) {
    std::vector<Session> out;
    for (const Date& date : dates) {
      Session s;
      s.cohort_id = of.id;
      s.starts_at = date + "T04:00:00Z";
      s.duration_minutes = minutes;
      out.push_back(repos.cohorts.addSession(s));
    }
    return out;
  }

  Participant person(const std::string& name, Gender gender = Gender::female, int birth_year = 1985,
                     Id locality_id = 0, VulnerableSet vulnerable = 0) {
    Participant p;
    p.full_name = name;
    p.demographics.gender = gender;
    p.demographics.birth_year = birth_year;
    p.demographics.locality_id = locality_id == 0 ? ulba.id : locality_id;
    p.demographics.vulnerable = vulnerable;
    p.consent = true;
    p.created_by = trainer_a.account_id;
    return repos.participants.create(p, duplicateKey(p));
  }

  Id enrol(const Cohort& in, const Participant& who) {
    return repos.enrolments.enrol(who.id, in.id, trainer_a.account_id, std::nullopt).enrolment.id;
  }

  /// Marks one enrolment in the sessions, one status per session from the first.
  void mark(const std::vector<Session>& sessions, Id enrolment_id,
            const std::vector<AttendanceStatus>& statuses) {
    for (std::size_t i = 0; i < statuses.size(); ++i) {
      AttendanceMark m;
      m.enrolment_id = enrolment_id;
      m.status = statuses[i];
      repos.attendance.saveSheet(sessions.at(i).id, {m}, trainer_a.account_id);
    }
  }
  void attendAll(const std::vector<Session>& sessions, Id enrolment_id) {
    mark(sessions, enrolment_id,
         std::vector<AttendanceStatus>(sessions.size(), AttendanceStatus::present));
  }

  TotalsQuery query(std::optional<Date> from, std::optional<Date> to,
                    std::vector<Dimension> by = {}) const {
    TotalsQuery q;
    q.programme_id = programme.id;
    q.period = Period{std::move(from), std::move(to)};
    q.by = std::move(by);
    return q;
  }
  TotalsQuery year2018(std::vector<Dimension> by = {}) const {
    return query("2018-01-01", "2018-12-31", std::move(by));
  }

  support::MemoryStore store;
  Repositories repos;
  support::FixedClock clock;
  support::FakeCertificateMaker maker;
  CatalogueService catalogue;
  TotalsService totals;
  CertificateService certificates;

  Actor admin, trainer_a, trainer_b, learner;
  Programme programme;
  Locality region, glubokoe, belousovka, ulba, shemonaikha, verkh;
  Course planning, business;
};

}  // namespace courses
