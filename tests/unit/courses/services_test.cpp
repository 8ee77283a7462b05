#include "courses/services.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "courses/error.hpp"
#include "courses/text.hpp"
#include "support/domain_checks.hpp"
#include "support/fakes.hpp"
#include "support/memory_store.hpp"

namespace courses {
namespace {

using support::errorOf;
using support::FixedClock;

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
  FixedClock clock;
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

// --- clock --------------------------------------------------------------------------------------

TEST(ServicesClockTest, SystemClockWritesUtcTimestamps) {
  const SystemClock clock;
  const Timestamp now = clock.now();
  EXPECT_TRUE(isValidTimestamp(now)) << now;
  EXPECT_GE(clock.currentYear(), 2024);
}

TEST(ServicesClockTest, CurrentYearComesFromNow) {
  FixedClock clock;
  clock.now_ = "2019-12-31T23:59:59Z";
  EXPECT_EQ(clock.currentYear(), 2019);
}

// --- catalogue ----------------------------------------------------------------------------------

TEST_F(ServicesTest, CatalogueIsWrittenByAdminsOnly) {
  Programme p = sampleProgramme();
  p.code = "NEW-1";
  EXPECT_ERROR(ErrorCode::forbidden, catalogue.createProgramme(trainer_a, p));
  const Actor learner = makeActor(Role::learner, "learner", std::nullopt);
  EXPECT_ERROR(ErrorCode::forbidden, catalogue.createProgramme(learner, p));
  EXPECT_ERROR(ErrorCode::forbidden, catalogue.createCourse(trainer_a, sampleCourse()));
  EXPECT_ERROR(ErrorCode::forbidden,
               catalogue.createLocality(
                   trainer_a,
                   Locality{0, std::nullopt, LocalityKind::region, {"a", "b", "c"}, std::nullopt}));
  EXPECT_EQ(catalogue.listProgrammes(admin).size(), 1u);
}

TEST_F(ServicesTest, CatalogueIsReadByEveryone) {
  const Actor learner = makeActor(Role::learner, "learner", std::nullopt);
  EXPECT_EQ(catalogue.listProgrammes(learner).size(), 1u);
  EXPECT_EQ(catalogue.listCourses(trainer_b, programme.id).size(), 1u);
  EXPECT_EQ(catalogue.listCourses(trainer_b, programme.id + 1000).size(), 0u);
  EXPECT_EQ(catalogue.listLocalities(learner, std::nullopt).size(), 1u);
  EXPECT_EQ(catalogue.listLocalities(learner, region.id).size(), 1u);
  EXPECT_EQ(catalogue.course(trainer_a, course.id).track, "inclusive_planning");
  EXPECT_EQ(catalogue.programme(learner, programme.id).code, "LSG-EKZ");
  EXPECT_ERROR(ErrorCode::not_found, catalogue.course(admin, 999999));
  EXPECT_ERROR(ErrorCode::not_found, catalogue.programme(admin, 999999));
}

TEST_F(ServicesTest, ProgrammeValuesAreChecked) {
  Programme p = sampleProgramme();
  p.code = "lsg";
  EXPECT_INVALID_FIELD("code", catalogue.createProgramme(admin, p));
  p = sampleProgramme();
  p.code = "X";
  EXPECT_INVALID_FIELD("code", catalogue.createProgramme(admin, p));
  p = sampleProgramme();
  p.code = "NEW";
  p.ends_on = "2016-12-31";
  EXPECT_INVALID_FIELD("ends_on", catalogue.createProgramme(admin, p));
  p.ends_on = "2020-02-30";
  EXPECT_INVALID_FIELD("ends_on", catalogue.createProgramme(admin, p));
  p = sampleProgramme();
  p.code = "NEW";
  p.title.kk = " ";
  EXPECT_INVALID_FIELD("title.kk", catalogue.createProgramme(admin, p));
  p = sampleProgramme();
  EXPECT_ERROR(ErrorCode::conflict, catalogue.createProgramme(admin, p));  // same code
  p.code = "NEW";
  p.title.en = "  Trimmed  ";
  EXPECT_EQ(catalogue.createProgramme(admin, p).title.en, "Trimmed");
}

TEST_F(ServicesTest, LocalityTreeIsChecked) {
  Locality l{0, 999999, LocalityKind::village, {"а", "б", "c"}, std::nullopt};
  EXPECT_INVALID_FIELD("parent_id", catalogue.createLocality(admin, l));
  l.parent_id = village.id;
  l.kind = LocalityKind::district;
  EXPECT_INVALID_FIELD("parent_id", catalogue.createLocality(admin, l));
  l.kind = LocalityKind::village;
  l.kato = "12345";
  EXPECT_INVALID_FIELD("kato", catalogue.createLocality(admin, l));
  l.kato = "63A000000";
  EXPECT_INVALID_FIELD("kato", catalogue.createLocality(admin, l));
  l.kato = "634037100";
  const Locality created = catalogue.createLocality(admin, l);
  EXPECT_EQ(created.parent_id, village.id);
}

TEST_F(ServicesTest, CourseValuesAreChecked) {
  Course c = sampleCourse();
  c.programme_id = 999999;
  EXPECT_INVALID_FIELD("programme_id", catalogue.createCourse(admin, c));
  c = sampleCourse();
  c.track = "Inclusive Planning";
  EXPECT_INVALID_FIELD("track", catalogue.createCourse(admin, c));
  c.track = std::string(41, 'a');
  EXPECT_INVALID_FIELD("track", catalogue.createCourse(admin, c));
  for (const double hours : {0.0, -1.0, 1000.5}) {
    c = sampleCourse();
    c.hours = hours;
    EXPECT_INVALID_FIELD("hours", catalogue.createCourse(admin, c));
  }
  c = sampleCourse();
  c.rule.min_attendance_percent = 101;
  EXPECT_INVALID_FIELD("rule.min_attendance_percent", catalogue.createCourse(admin, c));
  c = sampleCourse();
  c.track = "study_visit";
  c.hours = 1000;
  c.rule = CompletionRule{100, false, true};
  EXPECT_EQ(catalogue.createCourse(admin, c).track, "study_visit");
}

// --- cohorts and sessions -----------------------------------------------------------------------

TEST_F(ServicesTest, TrainerCreatingACohortRunsIt) {
  EXPECT_EQ(cohort_a.trainer_ids, std::vector<Id>{trainer_a.account_id});
  EXPECT_TRUE(repos.cohorts.isTrainerOf(cohort_a.id, trainer_a.account_id));
  Cohort other = sampleCohort();
  other.trainer_ids = {trainer_b.account_id};
  EXPECT_ERROR(ErrorCode::forbidden, cohorts.create(trainer_a, other));
  other.trainer_ids = {trainer_a.account_id};
  EXPECT_EQ(cohorts.create(trainer_a, other).trainer_ids, std::vector<Id>{trainer_a.account_id});
}

TEST_F(ServicesTest, AdminAssignsOnlyTrainerAccounts) {
  Cohort c = sampleCohort();
  c.trainer_ids = {trainer_a.account_id, trainer_b.account_id, trainer_a.account_id};
  EXPECT_EQ(cohorts.create(admin, c).trainer_ids,
            (std::vector<Id>{trainer_a.account_id, trainer_b.account_id}));
  c.trainer_ids = {trainer_a.account_id, admin.account_id};
  EXPECT_INVALID_FIELD("trainer_ids[1]", cohorts.create(admin, c));
  c.trainer_ids = {999999};
  EXPECT_INVALID_FIELD("trainer_ids[0]", cohorts.create(admin, c));
  repos.accounts.setDisabled(trainer_b.account_id, true);
  c.trainer_ids = {trainer_b.account_id};
  EXPECT_INVALID_FIELD("trainer_ids[0]", cohorts.create(admin, c));
}

TEST_F(ServicesTest, CohortValuesAreChecked) {
  Cohort c = sampleCohort();
  c.course_id = 999999;
  EXPECT_INVALID_FIELD("course_id", cohorts.create(trainer_a, c));
  c = sampleCohort();
  c.locality_id = 999999;
  EXPECT_INVALID_FIELD("locality_id", cohorts.create(trainer_a, c));
  c = sampleCohort();
  c.place = "";
  EXPECT_INVALID_FIELD("place", cohorts.create(trainer_a, c));
  c = sampleCohort();
  c.ends_on = "2018-02-28";
  EXPECT_INVALID_FIELD("ends_on", cohorts.create(trainer_a, c));
  const Actor learner = makeActor(Role::learner, "learner", std::nullopt);
  EXPECT_ERROR(ErrorCode::forbidden, cohorts.create(learner, sampleCohort()));
}

TEST_F(ServicesTest, TrainersSeeOnlyTheirCohorts) {
  const auto listed_a = cohorts.list(trainer_a, std::nullopt);
  ASSERT_EQ(listed_a.size(), 1u);
  EXPECT_EQ(listed_a[0].id, cohort_a.id);
  EXPECT_EQ(cohorts.list(admin, std::nullopt).size(), 2u);
  EXPECT_EQ(cohorts.list(admin, course.id + 1000).size(), 0u);
  EXPECT_EQ(cohorts.find(trainer_a, cohort_a.id).id, cohort_a.id);
  EXPECT_EQ(cohorts.find(admin, cohort_b.id).id, cohort_b.id);
}

TEST_F(ServicesTest, AnotherTrainersCohortIsNotFound) {
  EXPECT_ERROR(ErrorCode::not_found, cohorts.find(trainer_b, cohort_a.id));
  EXPECT_ERROR(ErrorCode::not_found, cohorts.sessions(trainer_b, cohort_a.id));
  EXPECT_ERROR(
      ErrorCode::not_found,
      cohorts.addSession(trainer_b, Session{0, cohort_a.id, "2018-03-06T04:00:00Z", 60, ""}));
  EXPECT_ERROR(ErrorCode::not_found, cohorts.find(trainer_b, 999999));
  // Even an invalid request learns nothing more than "not found".
  EXPECT_ERROR(ErrorCode::not_found,
               cohorts.addSession(trainer_b, Session{0, cohort_a.id, "bad", 0, ""}));
  EXPECT_EQ(cohorts.sessions(trainer_a, cohort_a.id).size(), 1u);
}

TEST_F(ServicesTest, SessionValuesAreChecked) {
  Session s{0, cohort_a.id, "2018-03-06T04:00:00Z", 90, "  Budget hearing  "};
  EXPECT_EQ(cohorts.addSession(trainer_a, s).topic, "Budget hearing");
  s.duration_minutes = 0;
  EXPECT_INVALID_FIELD("duration_minutes", cohorts.addSession(trainer_a, s));
  s.duration_minutes = 1441;
  EXPECT_INVALID_FIELD("duration_minutes", cohorts.addSession(trainer_a, s));
  s.duration_minutes = 1440;
  s.starts_at = "2018-03-06 04:00";
  EXPECT_INVALID_FIELD("starts_at", cohorts.addSession(trainer_a, s));
  s.starts_at = "2018-03-06T04:00:00Z";
  s.topic = std::string(301, 'x');
  EXPECT_INVALID_FIELD("topic", cohorts.addSession(trainer_a, s));
  // Sessions come back in order of their start.
  Session early{0, cohort_a.id, "2018-03-02T04:00:00Z", 60, ""};
  cohorts.addSession(trainer_a, early);
  const auto listed = cohorts.sessions(trainer_a, cohort_a.id);
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed.front().starts_at, "2018-03-02T04:00:00Z");
}

TEST_F(ServicesTest, LearnerSeesOnlyCohortsTheyAreIn) {
  const Participant me = registerBy(trainer_a, "Гүлнар Ахметова");
  enrol(trainer_a, cohort_a.id, me.id);
  const Actor learner = makeActor(Role::learner, "gulnar", me.id);
  const auto listed = cohorts.list(learner, std::nullopt);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, cohort_a.id);
  EXPECT_EQ(cohorts.find(learner, cohort_a.id).id, cohort_a.id);
  EXPECT_EQ(cohorts.sessions(learner, cohort_a.id).size(), 1u);
  EXPECT_ERROR(ErrorCode::not_found, cohorts.find(learner, cohort_b.id));
  EXPECT_ERROR(ErrorCode::not_found, cohorts.sessions(learner, cohort_b.id));
  EXPECT_ERROR(
      ErrorCode::forbidden,
      cohorts.addSession(learner, Session{0, cohort_a.id, "2018-03-06T04:00:00Z", 60, ""}));
  const Actor stranger = makeActor(Role::learner, "stranger", std::nullopt);
  EXPECT_TRUE(cohorts.list(stranger, std::nullopt).empty());
}

// --- participants -------------------------------------------------------------------------------

TEST_F(ServicesTest, RegistersANewPerson) {
  const auto result =
      participants.registerPerson(trainer_a, {person("  Әлия   Ғабитқызы "), std::nullopt, false});
  EXPECT_TRUE(result.created);
  EXPECT_GT(result.participant.id, 0);
  EXPECT_EQ(result.participant.full_name, "Әлия Ғабитқызы");
  EXPECT_EQ(result.participant.created_by, trainer_a.account_id);
  EXPECT_EQ(result.participant.created_at, "2026-11-27T10:00:00Z");
  EXPECT_TRUE(repos.participants.isVisibleTo(result.participant.id, trainer_a.account_id));
  EXPECT_FALSE(repos.participants.isVisibleTo(result.participant.id, trainer_b.account_id));
}

TEST_F(ServicesTest, SamePersonSpelledDifferentlyIsADuplicate) {
  const Participant first = registerBy(trainer_a, "Ёлкина Анна-Мария");
  const auto caught = errorOf([&] {
    participants.registerPerson(trainer_b, {person("ЕЛКИНА  АННА–МАРИЯ"), std::nullopt, false});
  });
  ASSERT_TRUE(caught.has_value());
  EXPECT_EQ(caught->code(), ErrorCode::conflict);
  ASSERT_EQ(caught->candidates.size(), 1u);
  // Trainer B may not see the person trainer A registered: no id, a confirmation instead.
  EXPECT_EQ(caught->candidates[0].id, 0);
  EXPECT_FALSE(caught->candidates[0].confirmation.empty());
  EXPECT_EQ(caught->candidates[0].full_name, "Ёлкина Анна-Мария");
  EXPECT_EQ(caught->candidates[0].birth_year, 1985);
  EXPECT_EQ(caught->candidates[0].locality_id, village.id);
  // Nothing was stored.
  EXPECT_EQ(participants.search(admin, "", {}).items.size(), 1u);
}

TEST_F(ServicesTest, DifferentYearOrLocalityIsNotADuplicate) {
  registerBy(trainer_a, "Айгүл Серікқызы", 1985);
  EXPECT_TRUE(
      participants.registerPerson(trainer_a, {person("Айгүл Серікқызы", 1986), std::nullopt, false})
          .created);
  Participant elsewhere = person("Айгүл Серікқызы", 1985);
  elsewhere.demographics.locality_id = district.id;
  EXPECT_TRUE(participants.registerPerson(trainer_a, {elsewhere, std::nullopt, false}).created);
}

TEST_F(ServicesTest, ConfirmingTheExistingPersonGrantsAccess) {
  const Participant first = registerBy(trainer_a, "Серік Нұрланұлы");
  EXPECT_ERROR(ErrorCode::not_found, participants.find(trainer_b, first.id));
  // Trainer B may not see the person: a bare id confirms nobody, the confirmation they were
  // shown does.
  EXPECT_INVALID_FIELD("same_person", participants.registerPerson(
                                          trainer_b, {person("СЕРІК  нұрланұлы"), first.id, false}));
  const auto conflict = errorOf([&] {
    participants.registerPerson(trainer_b, {person("СЕРІК  нұрланұлы"), std::nullopt, false});
  });
  ASSERT_TRUE(conflict.has_value());
  ASSERT_EQ(conflict->candidates.size(), 1u);
  ParticipantService::Registration confirm{person("СЕРІК  нұрланұлы"), std::nullopt, false};
  confirm.same_person_confirmation = conflict->candidates[0].confirmation;
  const auto confirmed = participants.registerPerson(trainer_b, confirm);
  EXPECT_FALSE(confirmed.created);
  EXPECT_EQ(confirmed.participant.id, first.id);
  EXPECT_EQ(participants.find(trainer_b, first.id).full_name, "Серік Нұрланұлы");
  EXPECT_EQ(participants.search(admin, "", {}).items.size(), 1u);
}

TEST_F(ServicesTest, ConfirmingSomeoneWhoDoesNotMatchIsRejected) {
  const Participant first = registerBy(trainer_a, "Серік Нұрланұлы");
  const Participant other = registerBy(trainer_a, "Болат Жанұзақов");
  EXPECT_INVALID_FIELD("same_person", participants.registerPerson(
                                          trainer_a, {person("Серік Нұрланұлы"), other.id, false}));
  EXPECT_INVALID_FIELD("same_person", participants.registerPerson(
                                          trainer_a, {person("Жаңа Адам"), first.id, false}));
  EXPECT_INVALID_FIELD("same_person", participants.registerPerson(
                                          trainer_a, {person("Серік Нұрланұлы"), first.id, true}));
}

TEST_F(ServicesTest, NotDuplicateRegistersASecondPerson) {
  const Participant first = registerBy(trainer_a, "Серік Нұрланұлы");
  const auto second =
      participants.registerPerson(trainer_a, {person("Серік Нұрланұлы"), std::nullopt, true});
  EXPECT_TRUE(second.created);
  EXPECT_NE(second.participant.id, first.id);
  // Both are now candidates for the next one.
  const auto caught = errorOf([&] {
    participants.registerPerson(trainer_a, {person("Серік Нұрланұлы"), {}, false});
  });
  ASSERT_TRUE(caught.has_value());
  EXPECT_EQ(caught->candidates.size(), 2u);
}

TEST_F(ServicesTest, RegistrationValuesAreChecked) {
  Participant p = person("Айгүл Серікқызы");
  p.consent = false;
  EXPECT_INVALID_FIELD("consent", participants.registerPerson(trainer_a, {p, {}, false}));
  p = person("Айгүл Серікқызы");
  p.demographics.locality_id = 999999;
  EXPECT_INVALID_FIELD("locality_id", participants.registerPerson(trainer_a, {p, {}, false}));
  p = person("Айгүл\xE2\x80\x8BСерікқызы");
  EXPECT_INVALID_FIELD("full_name", participants.registerPerson(trainer_a, {p, {}, false}));
  p = person("Айгүл Серікқызы", 2027);
  EXPECT_INVALID_FIELD("birth_year", participants.registerPerson(trainer_a, {p, {}, false}));
  const Actor learner = makeActor(Role::learner, "learner", std::nullopt);
  EXPECT_ERROR(ErrorCode::forbidden,
               participants.registerPerson(learner, {person("Айгүл Серікқызы"), {}, false}));
  EXPECT_TRUE(participants.search(admin, "", {}).items.empty());
}

TEST_F(ServicesTest, ParticipantVisibility) {
  const Participant mine = registerBy(trainer_a, "Дана Қасымова");
  EXPECT_EQ(participants.find(trainer_a, mine.id).id, mine.id);
  EXPECT_EQ(participants.find(admin, mine.id).id, mine.id);
  EXPECT_ERROR(ErrorCode::not_found, participants.find(trainer_b, mine.id));
  EXPECT_ERROR(ErrorCode::not_found, participants.find(trainer_a, 999999));
  // Enrolling someone into trainer B's cohort makes them visible to trainer B.
  Cohort shared = sampleCohort();
  shared.trainer_ids = {trainer_b.account_id};
  shared = cohorts.create(admin, shared);
  enrol(admin, shared.id, mine.id);
  EXPECT_EQ(participants.find(trainer_b, mine.id).id, mine.id);
}

TEST_F(ServicesTest, LearnerSeesOnlyThemselves) {
  const Participant me = registerBy(trainer_a, "Гүлнар Ахметова");
  const Participant other = registerBy(trainer_a, "Гүлмира Ахметова");
  const Actor learner = makeActor(Role::learner, "gulnar", me.id);
  EXPECT_EQ(participants.find(learner, me.id).full_name, "Гүлнар Ахметова");
  EXPECT_ERROR(ErrorCode::not_found, participants.find(learner, other.id));
  const auto found = participants.search(learner, "ахметова", {});
  ASSERT_EQ(found.items.size(), 1u);
  EXPECT_EQ(found.items[0].id, me.id);
  EXPECT_TRUE(participants.search(learner, "гүлмира", {}).items.empty());
  ParticipantPatch patch;
  patch.phone = std::optional<std::string>("+7 701 000 00 00");
  EXPECT_ERROR(ErrorCode::forbidden, participants.update(learner, me.id, patch));
}

TEST_F(ServicesTest, SearchMatchesNormalisedNamesAndPages) {
  registerBy(trainer_a, "Ёлкина Анна");
  registerBy(trainer_a, "Елкин Пётр");
  registerBy(trainer_a, "Қанат Бекұлы");
  registerBy(trainer_b, "Ёлкин Иван");
  EXPECT_EQ(participants.search(trainer_a, "ЁЛКИН", {}).items.size(), 2u);
  EXPECT_EQ(participants.search(trainer_b, "елкин", {}).items.size(), 1u);
  EXPECT_EQ(participants.search(admin, "елкин", {}).items.size(), 3u);

  const auto first = participants.search(admin, "", PageRequest{0, 2});
  ASSERT_EQ(first.items.size(), 2u);
  ASSERT_TRUE(first.next_after.has_value());
  const auto second = participants.search(admin, "", PageRequest{*first.next_after, 2});
  ASSERT_EQ(second.items.size(), 2u);
  EXPECT_FALSE(second.next_after.has_value());
  EXPECT_LT(first.items.back().id, second.items.front().id);

  EXPECT_INVALID_FIELD("limit", participants.search(admin, "", PageRequest{0, 0}));
  EXPECT_INVALID_FIELD("limit", participants.search(admin, "", PageRequest{0, 201}));
  EXPECT_INVALID_FIELD("after", participants.search(admin, "", PageRequest{-1, 10}));
  EXPECT_INVALID_FIELD("q", participants.search(admin, "\xC0\xAF", {}));
}

TEST_F(ServicesTest, UpdateNormalisesAndMovesTheDuplicateKey) {
  const Participant p = registerBy(trainer_a, "Дана Қасымова");
  ParticipantPatch patch;
  patch.full_name = "  Дана   Қасымқызы ";
  patch.email = std::optional<std::string>(" dana@example.kz ");
  const Participant updated = participants.update(trainer_a, p.id, patch);
  EXPECT_EQ(updated.full_name, "Дана Қасымқызы");
  EXPECT_EQ(updated.email, "dana@example.kz");
  EXPECT_EQ(repos.participants.findByKey(duplicateKey(updated)).size(), 1u);
  EXPECT_TRUE(repos.participants.findByKey(duplicateKey(p)).empty());

  patch = {};
  patch.email = std::optional<std::string>();  // clear
  EXPECT_FALSE(participants.update(trainer_a, p.id, patch).email.has_value());
}

TEST_F(ServicesTest, UpdateIsCheckedAndScoped) {
  const Participant p = registerBy(trainer_a, "Дана Қасымова");
  ParticipantPatch patch;
  patch.birth_year = 1800;
  EXPECT_INVALID_FIELD("birth_year", participants.update(trainer_a, p.id, patch));
  patch = {};
  patch.consent = false;
  EXPECT_INVALID_FIELD("consent", participants.update(trainer_a, p.id, patch));
  patch = {};
  patch.locality_id = 999999;
  EXPECT_INVALID_FIELD("locality_id", participants.update(trainer_a, p.id, patch));
  patch = {};
  patch.full_name = "Someone Else";
  EXPECT_ERROR(ErrorCode::not_found, participants.update(trainer_b, p.id, patch));
  EXPECT_EQ(participants.find(admin, p.id).full_name, "Дана Қасымова");
}

// --- glyph coverage -----------------------------------------------------------------------------

// Expects Error(unprocessable) with one problem on full_name naming `character`.
#define EXPECT_UNDRAWABLE_NAME(character, ...)                                 \
  do {                                                                         \
    const auto caught_ = errorOf([&] { __VA_ARGS__; });                        \
    ASSERT_TRUE(caught_.has_value()) << "no error from: " #__VA_ARGS__;        \
    EXPECT_EQ(caught_->code(), ErrorCode::unprocessable) << caught_->what();   \
    ASSERT_EQ(caught_->fields().size(), 1u) << caught_->what();                \
    EXPECT_EQ(caught_->fields().front().field, "full_name");                   \
    EXPECT_EQ(caught_->fields().front().message,                               \
              std::string(character) + " cannot be printed on a certificate"); \
  } while (false)

TEST(RequireDrawableTest, NamesTheFirstCharacterTheFontsLack) {
  const support::FakeGlyphCoverage coverage;
  EXPECT_NO_THROW(requireDrawable(coverage, "Әлия Ғабитқызы Ёлкина-O'Neil", "full_name"));
  const auto caught =
      errorOf([&] { requireDrawable(coverage, "Әлия \xF0\x9F\x98\x80 王", "full_name"); });
  ASSERT_TRUE(caught.has_value());
  EXPECT_EQ(caught->code(), ErrorCode::unprocessable);
  ASSERT_EQ(caught->fields().size(), 1u);
  EXPECT_EQ(caught->fields().front().field, "full_name");
  EXPECT_EQ(caught->fields().front().message,
            "U+1F600 '\xF0\x9F\x98\x80' cannot be printed on a certificate");
  EXPECT_NE(std::string(caught->what()).find("U+1F600"), std::string::npos);
}

TEST(RequireDrawableTest, PadsShortCodePointsToFourHexDigits) {
  const support::FakeGlyphCoverage coverage;
  const auto caught = errorOf([&] { requireDrawable(coverage, "王", "place"); });
  ASSERT_TRUE(caught.has_value());
  ASSERT_EQ(caught->fields().size(), 1u);
  EXPECT_EQ(caught->fields().front().field, "place");
  EXPECT_EQ(caught->fields().front().message, "U+738B '王' cannot be printed on a certificate");
}

TEST(RequireDrawableTest, InvalidUtf8IsAMalformedRequest) {
  const support::FakeGlyphCoverage coverage;
  EXPECT_INVALID_FIELD("full_name", requireDrawable(coverage, "\xC0\xAF", "full_name"));
}

TEST_F(ServicesTest, RegistrationRefusesANameTheFontsCannotDraw) {
  EXPECT_UNDRAWABLE_NAME("U+1F600 '\xF0\x9F\x98\x80'",
                         participants.registerPerson(
                             trainer_a, {person("Айгүл \xF0\x9F\x98\x80"), std::nullopt, false}));
  EXPECT_UNDRAWABLE_NAME("U+5F20 '张'", participants.registerPerson(
                                            trainer_a, {person("张 Wei"), std::nullopt, false}));
  // Nothing was stored.
  EXPECT_TRUE(participants.search(admin, "", {}).items.empty());
}

TEST_F(ServicesTest, EditRefusesANameTheFontsCannotDraw) {
  const Participant p = registerBy(trainer_a, "Дана Қасымова");
  ParticipantPatch patch;
  patch.full_name = "Дана \xF0\x9F\x98\x80";
  patch.birth_year = 1990;
  EXPECT_UNDRAWABLE_NAME("U+1F600 '\xF0\x9F\x98\x80'", participants.update(trainer_a, p.id, patch));
  const Participant unchanged = participants.find(admin, p.id);
  EXPECT_EQ(unchanged.full_name, "Дана Қасымова");
  EXPECT_EQ(unchanged.demographics.birth_year, 1985);

  // A name stored before the check existed does not block edits that leave it alone.
  ParticipantPatch legacy;
  legacy.full_name = "Дана 王";
  repos.participants.update(p.id, legacy, duplicateKey(p));
  ParticipantPatch phone;
  phone.phone.emplace("+7 701 000 00 00");
  EXPECT_EQ(participants.update(trainer_a, p.id, phone).phone, "+7 701 000 00 00");
}

// --- enrolments ---------------------------------------------------------------------------------

TEST_F(ServicesTest, EnrolsOncePerPair) {
  const Participant p = registerBy(trainer_a, "Дана Қасымова");
  const auto first = enrolments.enrol(trainer_a, cohort_a.id, p.id, std::nullopt);
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.enrolment.registered_by, trainer_a.account_id);
  EXPECT_EQ(first.enrolment.participant_name, "Дана Қасымова");
  const auto again = enrolments.enrol(trainer_a, cohort_a.id, p.id, std::nullopt);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.enrolment.id, first.enrolment.id);
  EXPECT_EQ(enrolments.list(trainer_a, cohort_a.id).size(), 1u);
}

TEST_F(ServicesTest, IdempotencyKeyReplaysTheFirstResult) {
  const Participant p = registerBy(trainer_a, "Дана Қасымова");
  const Participant q = registerBy(trainer_a, "Бақыт Омарова");
  const auto first = enrolments.enrol(trainer_a, cohort_a.id, p.id, "key-1");
  EXPECT_TRUE(first.created);
  const auto replay = enrolments.enrol(trainer_a, cohort_a.id, p.id, "key-1");
  EXPECT_FALSE(replay.created);
  EXPECT_EQ(replay.enrolment.id, first.enrolment.id);
  EXPECT_ERROR(ErrorCode::conflict, enrolments.enrol(trainer_a, cohort_a.id, q.id, "key-1"));
  EXPECT_INVALID_FIELD("idempotency_key", enrolments.enrol(trainer_a, cohort_a.id, q.id, ""));
  EXPECT_INVALID_FIELD("idempotency_key",
                       enrolments.enrol(trainer_a, cohort_a.id, q.id, "has space"));
  EXPECT_INVALID_FIELD("idempotency_key",
                       enrolments.enrol(trainer_a, cohort_a.id, q.id, std::string(129, 'k')));
}

TEST_F(ServicesTest, EnrolmentIsScopedToTheTrainer) {
  const Participant of_a = registerBy(trainer_a, "Дана Қасымова");
  const Participant of_b = registerBy(trainer_b, "Бақыт Омарова");
  enrol(trainer_a, cohort_a.id, of_a.id);
  // Trainer B may not enrol into A's cohort, nor enrol A's person into B's cohort.
  EXPECT_ERROR(ErrorCode::not_found,
               enrolments.enrol(trainer_b, cohort_a.id, of_b.id, std::nullopt));
  EXPECT_ERROR(ErrorCode::not_found,
               enrolments.enrol(trainer_b, cohort_b.id, of_a.id, std::nullopt));
  EXPECT_ERROR(ErrorCode::not_found,
               enrolments.enrol(trainer_b, cohort_b.id, 999999, std::nullopt));
  EXPECT_ERROR(ErrorCode::not_found, enrolments.list(trainer_b, cohort_a.id));
  // An admin may enrol anyone anywhere.
  EXPECT_TRUE(enrolments.enrol(admin, cohort_b.id, of_a.id, std::nullopt).created);
  const Actor learner = makeActor(Role::learner, "dana", of_a.id);
  EXPECT_ERROR(ErrorCode::forbidden, enrolments.enrol(learner, cohort_a.id, of_a.id, std::nullopt));
}

TEST_F(ServicesTest, LearnerListsOnlyTheirOwnEnrolment) {
  const Participant me = registerBy(trainer_a, "Дана Қасымова");
  const Participant other = registerBy(trainer_a, "Бақыт Омарова");
  enrol(trainer_a, cohort_a.id, me.id);
  enrol(trainer_a, cohort_a.id, other.id);
  const Actor learner = makeActor(Role::learner, "dana", me.id);
  const auto listed = enrolments.list(learner, cohort_a.id);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].participant_id, me.id);
  EXPECT_ERROR(ErrorCode::not_found, enrolments.list(learner, cohort_b.id));
}

TEST_F(ServicesTest, EnrolmentKeepsTheDemographicSnapshot) {
  const Participant p = registerBy(trainer_a, "Дана Қасымова", 1990);
  const Enrolment e = enrol(trainer_a, cohort_a.id, p.id);
  ParticipantPatch patch;
  patch.birth_year = 1991;
  patch.vulnerable = static_cast<VulnerableSet>(VulnerableGroup::youth);
  participants.update(trainer_a, p.id, patch);
  const auto listed = enrolments.list(trainer_a, cohort_a.id);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, e.id);
  EXPECT_EQ(listed[0].snapshot.birth_year, 1990);
  EXPECT_EQ(listed[0].snapshot.vulnerable, 0);
}

// --- attendance ---------------------------------------------------------------------------------

TEST_F(ServicesTest, SavesAndReadsASheet) {
  const Enrolment e1 = enrol(trainer_a, cohort_a.id, registerBy(trainer_a, "Дана Қасымова").id);
  const Enrolment e2 = enrol(trainer_a, cohort_a.id, registerBy(trainer_a, "Бақыт Омарова").id);
  const Enrolment e3 = enrol(trainer_a, cohort_a.id, registerBy(trainer_a, "Әсел Нұрова").id);
  const auto rows = attendance.saveSheet(
      trainer_a, session_a.id,
      {{e1.id, AttendanceStatus::present, 0, ""}, {e2.id, AttendanceStatus::late, 0, ""}});
  ASSERT_EQ(rows.size(), 3u);
  int marked = 0;
  for (const SheetRow& row : rows) {
    if (row.enrolment_id == e3.id) {
      EXPECT_FALSE(row.mark.has_value());
      continue;
    }
    ASSERT_TRUE(row.mark.has_value());
    EXPECT_EQ(row.mark->marked_by, trainer_a.account_id);
    ++marked;
  }
  EXPECT_EQ(marked, 2);
  EXPECT_EQ(attendance.sheet(admin, session_a.id).size(), 3u);
}

TEST_F(ServicesTest, SavingTheSameSheetTwiceGivesTheSameState) {
  const Enrolment e1 = enrol(trainer_a, cohort_a.id, registerBy(trainer_a, "Дана Қасымова").id);
  const std::vector<AttendanceMark> marks{{e1.id, AttendanceStatus::excused, 0, ""}};
  const auto first = attendance.saveSheet(trainer_a, session_a.id, marks);
  const auto second = attendance.saveSheet(trainer_a, session_a.id, marks);
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].mark->status, AttendanceStatus::excused);
  EXPECT_EQ(store.attendanceAudit().size(), 1u);
  attendance.saveSheet(trainer_a, session_a.id, {{e1.id, AttendanceStatus::present, 0, ""}});
  EXPECT_EQ(store.attendanceAudit().size(), 2u);
}

TEST_F(ServicesTest, ForeignEnrolmentRejectsTheWholeSheet) {
  const Enrolment mine = enrol(trainer_a, cohort_a.id, registerBy(trainer_a, "Дана Қасымова").id);
  const Enrolment foreign =
      enrol(trainer_b, cohort_b.id, registerBy(trainer_b, "Бақыт Омарова").id);
  EXPECT_INVALID_FIELD("marks[1].enrolment_id",
                       attendance.saveSheet(trainer_a, session_a.id,
                                            {{mine.id, AttendanceStatus::present, 0, ""},
                                             {foreign.id, AttendanceStatus::present, 0, ""}}));
  EXPECT_INVALID_FIELD(
      "marks[0].enrolment_id",
      attendance.saveSheet(trainer_a, session_a.id, {{999999, AttendanceStatus::present, 0, ""}}));
  // Nothing was saved.
  EXPECT_TRUE(store.attendanceAudit().empty());
  for (const SheetRow& row : attendance.sheet(trainer_a, session_a.id)) {
    EXPECT_FALSE(row.mark.has_value());
  }
}

TEST_F(ServicesTest, DuplicateAndOversizedSheetsAreRejected) {
  const Enrolment e = enrol(trainer_a, cohort_a.id, registerBy(trainer_a, "Дана Қасымова").id);
  EXPECT_INVALID_FIELD("marks[1].enrolment_id",
                       attendance.saveSheet(trainer_a, session_a.id,
                                            {{e.id, AttendanceStatus::present, 0, ""},
                                             {e.id, AttendanceStatus::absent, 0, ""}}));
  const std::vector<AttendanceMark> too_many(
      1001, AttendanceMark{e.id, AttendanceStatus::present, 0, ""});
  EXPECT_INVALID_FIELD("marks", attendance.saveSheet(trainer_a, session_a.id, too_many));
  EXPECT_TRUE(store.attendanceAudit().empty());
}

TEST_F(ServicesTest, AnotherTrainersSessionIsNotFound) {
  const Enrolment e = enrol(trainer_a, cohort_a.id, registerBy(trainer_a, "Дана Қасымова").id);
  EXPECT_ERROR(ErrorCode::not_found, attendance.sheet(trainer_b, session_a.id));
  EXPECT_ERROR(
      ErrorCode::not_found,
      attendance.saveSheet(trainer_b, session_a.id, {{e.id, AttendanceStatus::absent, 0, ""}}));
  EXPECT_ERROR(ErrorCode::not_found, attendance.sheet(admin, 999999));
  const Actor learner = makeActor(Role::learner, "dana", e.participant_id);
  EXPECT_ERROR(ErrorCode::not_found, attendance.sheet(learner, session_a.id));
  EXPECT_ERROR(
      ErrorCode::forbidden,
      attendance.saveSheet(learner, session_a.id, {{e.id, AttendanceStatus::present, 0, ""}}));
  EXPECT_TRUE(store.attendanceAudit().empty());
}

// --- profile ------------------------------------------------------------------------------------

TEST_F(ServicesTest, ProfileShowsALearnerTheirRecords) {
  const Participant me = registerBy(trainer_a, "Дана Қасымова");
  enrol(trainer_a, cohort_a.id, me.id);
  const Actor learner = makeActor(Role::learner, "dana", me.id);
  const Profile profile = profiles.me(learner);
  EXPECT_EQ(profile.account.login, "dana");
  ASSERT_TRUE(profile.participant.has_value());
  EXPECT_EQ(profile.participant->id, me.id);
  EXPECT_EQ(profile.enrolments.size(), 1u);

  const Profile staff = profiles.me(trainer_a);
  EXPECT_EQ(staff.account.role, Role::trainer);
  EXPECT_FALSE(staff.participant.has_value());
  EXPECT_TRUE(staff.enrolments.empty());
  EXPECT_ERROR(ErrorCode::unauthenticated, profiles.me(Actor{999999, Role::admin, std::nullopt}));
}

TEST_F(ServicesTest, StorageOutageSurfacesAsUnavailable) {
  store.setUnavailable(true);
  EXPECT_ERROR(ErrorCode::unavailable, cohorts.list(admin, std::nullopt));
  store.setUnavailable(false);
  EXPECT_EQ(cohorts.list(admin, std::nullopt).size(), 2u);
}

}  // namespace
}  // namespace courses
