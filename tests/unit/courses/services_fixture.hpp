#pragma once
// The world the unit tests of the services share: a programme, a locality tree, a course, and two
// trainers each running a cohort, over the in-memory store. Only for tests in this folder.

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "courses/services.hpp"
#include "support/domain_checks.hpp"
#include "support/fakes.hpp"
#include "support/memory_store.hpp"

namespace courses {

/// A small world: a programme, a locality tree, a course, and two trainers each running a cohort.
class ServicesTest : public ::testing::Test {
 protected:
  ServicesTest()
      : repos(store.repositories()),
        catalogue(repos),
        cohorts(repos),
        participants(repos, clock, coverage, &sealer),
        enrolments(repos),
        attendance(repos),
        profiles(repos) {
    store.setNow(clock.now_);
    admin = makeActor(Role::admin, "admin");
    trainer_a = makeActor(Role::trainer, "trainer.a");
    trainer_b = makeActor(Role::trainer, "trainer.b");
    programme = catalogue.createProgramme(admin, sampleProgramme());
    region = catalogue.createLocality(
        admin, Locality{0,
                        std::nullopt,
                        LocalityKind::region,
                        {"Шығыс Қазақстан облысы", "Восточно-Казахстанская область",
                         "East Kazakhstan Region"},
                        "630000000"});
    district = catalogue.createLocality(
        admin, Locality{0,
                        region.id,
                        LocalityKind::district,
                        {"Глубокое ауданы", "Глубоковский район", "Glubokoe District"},
                        std::nullopt});
    village = catalogue.createLocality(
        admin, Locality{0,
                        district.id,
                        LocalityKind::settlement,
                        {"Белоусовка кенті", "посёлок Белоусовка", "Belousovka"},
                        std::nullopt});
    course = catalogue.createCourse(admin, sampleCourse());
    cohort_a = cohorts.create(trainer_a, sampleCohort());
    cohort_b = cohorts.create(trainer_b, sampleCohort());
    session_a = cohorts.addSession(
        trainer_a, Session{0, cohort_a.id, "2018-03-05T04:00:00Z", 180, "Mapping the village"});
  }

  Actor makeActor(Role role, const std::string& login,
                  std::optional<Id> participant_id = std::nullopt) {
    Account account;
    account.login = login;
    account.role = role;
    account.participant_id = participant_id;
    const Account created = repos.accounts.create(account, "");
    return Actor{created.id, role, participant_id};
  }

  Programme sampleProgramme() {
    return Programme{0,
                     "LSG-EKZ",
                     {"Жергілікті мүдделі тараптардың белсенді қатысуы",
                      "Активное участие местных заинтересованных сторон",
                      "Active participation of local stakeholders"},
                     "European Union",
                     "2017-02-01",
                     "2020-01-31",
                     {},
                     {}};
  }

  Course sampleCourse() {
    return Course{0,
                  programme.id,
                  "inclusive_planning",
                  {"Инклюзивті жоспарлау", "Инклюзивное планирование", "Inclusive planning"},
                  24,
                  CompletionRule{80, false, false},
                  true,
                  CertificateLanguage::all};
  }

  Cohort sampleCohort() {
    return Cohort{
        0, course.id, village.id, "Akimat assembly hall", "2018-03-01", "2018-03-31", Language::kk,
        {}};
  }

  Participant person(const std::string& name, int birth_year = 1985) {
    Participant p;
    p.full_name = name;
    p.demographics.gender = Gender::female;
    p.demographics.birth_year = birth_year;
    p.demographics.locality_id = village.id;
    p.demographics.affiliation = Affiliation::community_member;
    p.consent = true;
    return p;
  }

  Participant registerBy(const Actor& actor, const std::string& name, int birth_year = 1985) {
    return participants.registerPerson(actor, {person(name, birth_year), std::nullopt, false})
        .participant;
  }

  Enrolment enrol(const Actor& actor, Id cohort_id, Id participant_id) {
    return enrolments.enrol(actor, cohort_id, participant_id, std::nullopt).enrolment;
  }

  support::MemoryStore store;
  Repositories repos;
  support::FixedClock clock;
  support::FakeGlyphCoverage coverage;
  support::FakeSealer sealer;
  CatalogueService catalogue;
  CohortService cohorts;
  ParticipantService participants;
  EnrolmentService enrolments;
  AttendanceService attendance;
  ProfileService profiles;

  Actor admin, trainer_a, trainer_b;
  Programme programme;
  Locality region, district, village;
  Course course;
  Cohort cohort_a, cohort_b;
  Session session_a;
};

}  // namespace courses
