// CertificateService, courses/certificate_service.hpp: eligibility, issuing, serials,
// waivers, revocation, who may read what, verification.
#include "courses/certificate_service.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "courses/catalogue_service.hpp"
#include "courses/error.hpp"
#include "courses/rules.hpp"
#include "courses/text.hpp"
#include "support/domain_checks.hpp"
#include "support/fakes.hpp"
#include "support/memory_store.hpp"

namespace courses {
namespace {

using support::errorOf;
using support::FixedClock;

using S = AttendanceStatus;

AttendanceMark markOf(Id enrolment_id, AttendanceStatus status) {
  AttendanceMark mark;
  mark.enrolment_id = enrolment_id;
  mark.status = status;
  return mark;
}

/// A programme with two implementing organisations, a village, two trainers running a cohort of
/// an inclusive-planning course (80 %), a third trainer who runs nothing of it, and an admin.
class CertificateServiceTest : public ::testing::Test {
 protected:
  CertificateServiceTest()
      : repos(store.repositories()), catalogue(repos), service(repos, maker, clock) {
    store.setNow(clock.now_);
    admin = makeActor(Role::admin, "admin", "");
    trainer_a = makeActor(Role::trainer, "trainer.a", "Сәуле Омарова");
    trainer_b = makeActor(Role::trainer, "trainer.b", "");
    trainer_c = makeActor(Role::trainer, "trainer.c", "Иван Петров");
    Programme p;
    p.code = "LSG-EKZ";
    p.title = {"Жергілікті мүдделі тараптардың белсенді қатысуы",
               "Активное участие местных заинтересованных сторон",
               "Active participation of local stakeholders"};
    p.donor = "European Union";
    p.starts_on = "2017-02-01";
    p.ends_on = "2020-01-31";
    p.organisations = {
        {"«Дала» қоғамдық бірлестігі", "Общественное объединение «Дала»",
         "Dala Public Association"},
        {"Жергілікті даму орталығы", "Центр местного развития", "Local Development Centre"}};
    programme = catalogue.createProgramme(admin, p);
    village = catalogue.createLocality(
        admin, Locality{0,
                        std::nullopt,
                        LocalityKind::settlement,
                        {"Белоусовка кенті", "посёлок Белоусовка", "Belousovka"},
                        std::nullopt});
    course = makeCourse(CompletionRule{80, false, false});
    cohort = makeCohort(course);
  }

  Actor makeActor(Role role, const std::string& login, const std::string& display_name,
                  std::optional<Id> participant_id = std::nullopt) {
    Account account;
    account.login = login;
    account.display_name = display_name;
    account.role = role;
    account.participant_id = participant_id;
    const Account created = repos.accounts.create(account, "");
    return Actor{created.id, role, participant_id};
  }

  Course makeCourse(CompletionRule rule, bool gives_certificate = true,
                    CertificateLanguage language = CertificateLanguage::all) {
    Course c;
    c.programme_id = programme.id;
    c.track = "inclusive_planning";
    c.title = {"Инклюзивті жоспарлау", "Инклюзивное планирование", "Inclusive planning"};
    c.hours = 24;
    c.rule = rule;
    c.gives_certificate = gives_certificate;
    c.certificate_language = language;
    return catalogue.createCourse(admin, c);
  }

  /// Run by trainer_a and trainer_b, in that order.
  Cohort makeCohort(const Course& of_course) {
    Cohort c;
    c.course_id = of_course.id;
    c.locality_id = village.id;
    c.place = "Akimat assembly hall";
    c.starts_on = "2018-03-01";
    c.ends_on = "2018-03-31";
    c.trainer_ids = {trainer_a.account_id, trainer_b.account_id};
    return repos.cohorts.create(c);
  }

  std::vector<Session> addSessions(const Cohort& of_cohort, int count) {
    std::vector<Session> out;
    for (int i = 0; i < count; ++i) {
      Session s;
      s.cohort_id = of_cohort.id;
      s.starts_at =
          "2018-03-" + std::string(i + 1 < 10 ? "0" : "") + std::to_string(i + 1) + "T04:00:00Z";
      s.duration_minutes = 180;
      out.push_back(repos.cohorts.addSession(s));
    }
    return out;
  }

  Enrolment enrolNew(const Cohort& in_cohort, const std::string& name) {
    Participant p;
    p.full_name = name;
    p.demographics.birth_year = 1985;
    p.demographics.locality_id = village.id;
    p.consent = true;
    p.created_by = trainer_a.account_id;
    const Participant stored = repos.participants.create(p, duplicateKey(p));
    return repos.enrolments.enrol(stored.id, in_cohort.id, trainer_a.account_id, std::nullopt)
        .enrolment;
  }

  /// Marks the enrolment in the sessions, one status per session from the first.
  void mark(const std::vector<Session>& sessions, const Enrolment& enrolment,
            const std::vector<S>& statuses) {
    for (std::size_t i = 0; i < statuses.size(); ++i) {
      repos.attendance.saveSheet(sessions.at(i).id, {markOf(enrolment.id, statuses[i])},
                                 trainer_a.account_id);
    }
  }

  /// An enrolment that attended every one of the sessions.
  Enrolment qualified(const std::vector<Session>& sessions, const std::string& name,
                      const Cohort& in_cohort) {
    const Enrolment e = enrolNew(in_cohort, name);
    mark(sessions, e, std::vector<S>(sessions.size(), S::present));
    return e;
  }
  Enrolment qualified(const std::vector<Session>& sessions, const std::string& name) {
    return qualified(sessions, name, cohort);
  }

  /// Issues to the cohort and expects the one enrolment to be eligible or not.
  bool eligibleAlone(const Cohort& in_cohort) {
    const auto outcome = service.issueCohort(admin, in_cohort.id, std::nullopt);
    EXPECT_EQ(outcome.issued.size() + outcome.not_eligible.size(), 1u);
    return outcome.issued.size() == 1;
  }

  support::MemoryStore store;
  Repositories repos;
  FixedClock clock;
  support::FakeCertificateMaker maker;
  CatalogueService catalogue;
  CertificateService service;

  Actor admin, trainer_a, trainer_b, trainer_c;
  Programme programme;
  Locality village;
  Course course;
  Cohort cohort;
};

// --- eligibility --------------------------------------------------------------------------------

TEST_F(CertificateServiceTest, CohortWithoutSessionsQualifiesNobody) {
  enrolNew(cohort, "Әлия Ғабитқызы");
  const auto outcome = service.issueCohort(trainer_a, cohort.id, std::nullopt);
  EXPECT_TRUE(outcome.issued.empty());
  ASSERT_EQ(outcome.not_eligible.size(), 1u);
  EXPECT_EQ(outcome.not_eligible[0].reason, "the cohort has no sessions yet");
  EXPECT_EQ(maker.calls(), 0);
}

TEST_F(CertificateServiceTest, ReasonSaysWhatWasMissing) {
  const auto sessions = addSessions(cohort, 8);
  const Enrolment e = enrolNew(cohort, "Серік Нұрланұлы");
  mark(sessions, e,
       {S::present, S::present, S::late, S::present, S::present, S::absent, S::excused, S::absent});
  const auto outcome = service.issueCohort(trainer_a, cohort.id, std::nullopt);
  ASSERT_EQ(outcome.not_eligible.size(), 1u);
  const Eligibility& no = outcome.not_eligible[0];
  EXPECT_EQ(no.reason, "attended 5 of 8 sessions, needs 7");
  EXPECT_EQ(no.enrolment.id, e.id);
  EXPECT_EQ(no.enrolment.participant_name, "Серік Нұрланұлы");
  EXPECT_EQ(no.result.attended, 5);
  EXPECT_EQ(no.result.required, 7);
}

TEST_F(CertificateServiceTest, AllExcusedQualifiesOnlyWhenExcusedCounts) {
  const Cohort strict = makeCohort(makeCourse(CompletionRule{80, false, false}));
  const auto strict_sessions = addSessions(strict, 3);
  mark(strict_sessions, enrolNew(strict, "Гүлнар Ахметова"), {S::excused, S::excused, S::excused});
  EXPECT_FALSE(eligibleAlone(strict));

  const Cohort lenient = makeCohort(makeCourse(CompletionRule{80, true, false}));
  const auto lenient_sessions = addSessions(lenient, 3);
  mark(lenient_sessions, enrolNew(lenient, "Гүлнар Ахметова"),
       {S::excused, S::excused, S::excused});
  EXPECT_TRUE(eligibleAlone(lenient));
}

TEST_F(CertificateServiceTest, HundredPercentNeedsEverySession) {
  const Cohort full = makeCohort(makeCourse(CompletionRule{100, false, false}));
  const auto sessions = addSessions(full, 4);
  mark(sessions, enrolNew(full, "Анна Ёлкина"), {S::present, S::present, S::present, S::absent});
  const Enrolment all_there = enrolNew(full, "Дана Қасымова");
  mark(sessions, all_there, {S::present, S::late, S::present, S::present});
  const auto outcome = service.issueCohort(admin, full.id, std::nullopt);
  ASSERT_EQ(outcome.issued.size(), 1u);
  EXPECT_EQ(outcome.issued[0].enrolment_id, all_there.id);
  ASSERT_EQ(outcome.not_eligible.size(), 1u);
  EXPECT_EQ(outcome.not_eligible[0].reason, "attended 3 of 4 sessions, needs 4");
}

TEST_F(CertificateServiceTest, RequireAllOverridesALowPercentage) {
  const Cohort visit = makeCohort(makeCourse(CompletionRule{50, false, true}));
  const auto sessions = addSessions(visit, 4);
  mark(sessions, enrolNew(visit, "Мария Смирнова"), {S::present, S::present, S::present});
  EXPECT_FALSE(eligibleAlone(visit));
}

TEST_F(CertificateServiceTest, RequireAllWithExcusedCountingAcceptsExcused) {
  const Cohort visit = makeCohort(makeCourse(CompletionRule{50, true, true}));
  const auto sessions = addSessions(visit, 3);
  mark(sessions, enrolNew(visit, "Мария Смирнова"), {S::present, S::excused, S::late});
  EXPECT_TRUE(eligibleAlone(visit));
}

TEST_F(CertificateServiceTest, LateCountsAsAttended) {
  const auto sessions = addSessions(cohort, 5);
  mark(sessions, enrolNew(cohort, "Ержан Төлегенов"), {S::late, S::late, S::late, S::late});
  EXPECT_TRUE(eligibleAlone(cohort));
}

TEST_F(CertificateServiceTest, EligibilityListsEveryoneAndTheCertificateHeld) {
  const auto sessions = addSessions(cohort, 2);
  const Enrolment yes = qualified(sessions, "Әлия Ғабитқызы");
  const Enrolment no = enrolNew(cohort, "Серік Нұрланұлы");
  const auto issued = service.issueCohort(trainer_a, cohort.id, std::nullopt).issued;
  ASSERT_EQ(issued.size(), 1u);
  const auto list = service.eligibility(trainer_b, cohort.id);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].enrolment.id, yes.id);
  EXPECT_TRUE(list[0].result.completed);
  EXPECT_EQ(list[0].valid_certificate_id, issued[0].id);
  EXPECT_EQ(list[1].enrolment.id, no.id);
  EXPECT_FALSE(list[1].result.completed);
  EXPECT_EQ(list[1].reason, "attended 0 of 2 sessions, needs 2");
  EXPECT_FALSE(list[1].valid_certificate_id.has_value());
}

// --- what a certificate says ----------------------------------------------------------------

TEST_F(CertificateServiceTest, CertificateIsASnapshotOfItsSources) {
  const auto sessions = addSessions(cohort, 5);
  const Enrolment e = enrolNew(cohort, "Әлия Ғабитқызы");
  mark(sessions, e, {S::present, S::late, S::present, S::present, S::absent});
  const auto outcome = service.issueCohort(trainer_a, cohort.id, std::nullopt);
  ASSERT_EQ(outcome.issued.size(), 1u);
  const Certificate& c = outcome.issued[0];
  EXPECT_GT(c.id, 0);
  EXPECT_EQ(c.serial, "LSG-EKZ-IP-2018-000001");
  EXPECT_EQ(c.status, CertificateStatus::valid);
  EXPECT_EQ(c.enrolment_id, e.id);
  EXPECT_EQ(c.participant_id, e.participant_id);
  EXPECT_EQ(c.cohort_id, cohort.id);
  EXPECT_EQ(c.course_id, course.id);
  EXPECT_EQ(c.programme_id, programme.id);
  EXPECT_EQ(c.language, CertificateLanguage::all);
  EXPECT_EQ(c.full_name, "Әлия Ғабитқызы");
  EXPECT_EQ(c.track, "inclusive_planning");
  EXPECT_EQ(c.course_title.ru, "Инклюзивное планирование");
  EXPECT_EQ(c.hours, 24);
  EXPECT_EQ(c.starts_on, "2018-03-01");
  EXPECT_EQ(c.ends_on, "2018-03-31");
  EXPECT_EQ(c.place, "Akimat assembly hall");
  EXPECT_EQ(c.locality.kk, "Белоусовка кенті");
  EXPECT_EQ(c.sessions_attended, 4);
  EXPECT_EQ(c.sessions_total, 5);
  // Display names in the cohort's order; the login stands in for a trainer without one.
  EXPECT_EQ(c.trainers, (std::vector<std::string>{"Сәуле Омарова", "trainer.b"}));
  ASSERT_EQ(c.organisations.size(), 2u);
  EXPECT_EQ(c.organisations[1].en, "Local Development Centre");
  EXPECT_EQ(c.issuer.en, "Dala Public Association");
  EXPECT_FALSE(c.waiver_reason.has_value());
  EXPECT_EQ(c.issued_by, trainer_a.account_id);
  EXPECT_EQ(c.issued_at, "2026-11-27T10:00:00Z");
  EXPECT_EQ(c.verification_token.size(), 22u);
  EXPECT_EQ(c.signature, "sig-LSG-EKZ-IP-2018-000001");
  EXPECT_EQ(c.etag, "\"etag-LSG-EKZ-IP-2018-000001\"");

  const auto [stored, pdf] = service.pdf(trainer_b, c.id);
  EXPECT_EQ(stored.serial, c.serial);
  EXPECT_EQ(static_cast<long long>(pdf.size()), c.pdf_size);
  EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
}

TEST_F(CertificateServiceTest, LaterEditsDoNotChangeAnIssuedCertificate) {
  const auto sessions = addSessions(cohort, 1);
  const Enrolment e = qualified(sessions, "Әлия Ғабитқызы");
  const Certificate c = service.issueCohort(admin, cohort.id, std::nullopt).issued.at(0);
  ParticipantPatch rename;
  rename.full_name = "Әлия Серікқызы";
  Participant person = *repos.participants.find(e.participant_id);
  repos.participants.update(e.participant_id, rename, duplicateKey(person));
  EXPECT_EQ(service.find(admin, c.id).full_name, "Әлия Ғабитқызы");
}

TEST_F(CertificateServiceTest, IssuerIsTheProgrammeTitleWithoutOrganisations) {
  Programme bare = programme;
  bare.code = "EDU-1";
  bare.organisations.clear();
  bare = catalogue.createProgramme(admin, bare);
  Course c = course;
  c.programme_id = bare.id;
  c.track = "entrepreneurship";
  const Cohort other = makeCohort(catalogue.createCourse(admin, c));
  qualified(addSessions(other, 1), "Ержан Төлегенов", other);
  const Certificate issued = service.issueCohort(admin, other.id, std::nullopt).issued.at(0);
  EXPECT_EQ(issued.issuer.en, "Active participation of local stakeholders");
  EXPECT_TRUE(issued.organisations.empty());
  EXPECT_EQ(issued.serial, "EDU-1-EN-2018-000001");
}

TEST_F(CertificateServiceTest, LanguageIsTheCoursesUnlessOverridden) {
  const Cohort russian =
      makeCohort(makeCourse(CompletionRule{80, false, false}, true, CertificateLanguage::ru));
  const auto sessions = addSessions(russian, 1);
  const Enrolment first = qualified(sessions, "Анна Ёлкина", russian);
  const Enrolment second = qualified(sessions, "Мария Смирнова", russian);
  EXPECT_EQ(service.issueOne(admin, first.id, std::nullopt, std::nullopt).language,
            CertificateLanguage::ru);
  EXPECT_EQ(service.issueOne(admin, second.id, CertificateLanguage::en, std::nullopt).language,
            CertificateLanguage::en);
  EXPECT_ERROR(ErrorCode::invalid_argument,
               service.issueCohort(admin, russian.id, static_cast<CertificateLanguage>(9)));
}

TEST_F(CertificateServiceTest, CourseWithoutCertificatesIsRefused) {
  const Cohort talk = makeCohort(makeCourse(CompletionRule{80, false, false}, false));
  const Enrolment e = qualified(addSessions(talk, 1), "Ержан Төлегенов", talk);
  EXPECT_ERROR(ErrorCode::unprocessable, service.issueCohort(trainer_a, talk.id, std::nullopt));
  EXPECT_ERROR(ErrorCode::unprocessable,
               service.issueOne(admin, e.id, std::nullopt, std::string("visited every day")));
  EXPECT_EQ(maker.calls(), 0);
}

// --- issuing and serials ------------------------------------------------------------------------

TEST_F(CertificateServiceTest, IssuingTwiceIssuesNothingNew) {
  const auto sessions = addSessions(cohort, 2);
  qualified(sessions, "Әлия Ғабитқызы");
  qualified(sessions, "Серік Нұрланұлы");
  enrolNew(cohort, "Анна Ёлкина");
  const auto first = service.issueCohort(trainer_a, cohort.id, std::nullopt);
  ASSERT_EQ(first.issued.size(), 2u);
  EXPECT_EQ(first.issued[0].serial, "LSG-EKZ-IP-2018-000001");
  EXPECT_EQ(first.issued[1].serial, "LSG-EKZ-IP-2018-000002");
  EXPECT_TRUE(first.already.empty());
  const int made = maker.calls();

  const auto second = service.issueCohort(trainer_b, cohort.id, std::nullopt);
  EXPECT_TRUE(second.issued.empty());
  ASSERT_EQ(second.already.size(), 2u);
  EXPECT_EQ(second.already[0].id, first.issued[0].id);
  EXPECT_EQ(second.not_eligible.size(), 1u);
  EXPECT_EQ(maker.calls(), made);
  EXPECT_EQ(service.listForCohort(admin, cohort.id).size(), 2u);
}

TEST_F(CertificateServiceTest, IssuingOneTwiceIsAConflict) {
  const Enrolment e = qualified(addSessions(cohort, 1), "Әлия Ғабитқызы");
  service.issueOne(trainer_a, e.id, std::nullopt, std::nullopt);
  EXPECT_ERROR(ErrorCode::conflict, service.issueOne(trainer_a, e.id, std::nullopt, std::nullopt));
}

TEST_F(CertificateServiceTest, IssuingOneRequiresTheRuleToBeMet) {
  const auto sessions = addSessions(cohort, 8);
  const Enrolment e = enrolNew(cohort, "Серік Нұрланұлы");
  mark(sessions, e, std::vector<S>(5, S::present));
  const auto caught =
      errorOf([&] { service.issueOne(trainer_a, e.id, std::nullopt, std::nullopt); });
  ASSERT_TRUE(caught.has_value());
  EXPECT_EQ(caught->code(), ErrorCode::unprocessable);
  EXPECT_NE(std::string(caught->what()).find("attended 5 of 8 sessions, needs 7"),
            std::string::npos)
      << caught->what();
  EXPECT_ERROR(ErrorCode::not_found,
               service.issueOne(trainer_a, 999999, std::nullopt, std::nullopt));
}

TEST_F(CertificateServiceTest, ReissueAfterRevocationGivesANewSerial) {
  const Enrolment e = qualified(addSessions(cohort, 1), "Әлия Ғабитқызы");
  const Certificate first = service.issueCohort(trainer_a, cohort.id, std::nullopt).issued.at(0);
  clock.now_ = "2026-11-28T09:00:00Z";
  const Certificate revoked = service.revoke(trainer_b, first.id, "  Name misspelt  ");
  EXPECT_EQ(revoked.status, CertificateStatus::revoked);
  EXPECT_EQ(revoked.revoked_reason, "Name misspelt");
  EXPECT_EQ(revoked.revoked_at, "2026-11-28T09:00:00Z");
  EXPECT_EQ(revoked.revoked_by, trainer_b.account_id);

  const auto again = service.issueCohort(trainer_a, cohort.id, std::nullopt);
  ASSERT_EQ(again.issued.size(), 1u);
  EXPECT_EQ(again.issued[0].enrolment_id, e.id);
  EXPECT_EQ(again.issued[0].serial, "LSG-EKZ-IP-2018-000002");
  EXPECT_NE(again.issued[0].id, first.id);
  EXPECT_EQ(service.find(admin, first.id).status, CertificateStatus::revoked);

  const auto trail = service.audit(trainer_a, first.id);
  ASSERT_EQ(trail.size(), 2u);
  EXPECT_EQ(trail[0].action, "issued");
  EXPECT_EQ(trail[0].account_id, trainer_a.account_id);
  EXPECT_EQ(trail[1].action, "revoked");
  EXPECT_EQ(trail[1].reason, "Name misspelt");
}

TEST_F(CertificateServiceTest, RevokingTwiceIsAConflict) {
  qualified(addSessions(cohort, 1), "Әлия Ғабитқызы");
  const Certificate c = service.issueCohort(admin, cohort.id, std::nullopt).issued.at(0);
  EXPECT_ERROR(ErrorCode::invalid_argument, service.revoke(admin, c.id, "no"));
  EXPECT_ERROR(ErrorCode::invalid_argument, service.revoke(admin, c.id, std::string(501, 'x')));
  EXPECT_EQ(service.find(admin, c.id).status, CertificateStatus::valid);
  service.revoke(admin, c.id, "Issued by mistake");
  EXPECT_ERROR(ErrorCode::conflict, service.revoke(admin, c.id, "Issued by mistake"));
  EXPECT_ERROR(ErrorCode::not_found, service.revoke(admin, 999999, "Issued by mistake"));
}

TEST_F(CertificateServiceTest, LargeCohortIsIssuedInBatchesOfAHundred) {
  const auto sessions = addSessions(cohort, 1);
  std::vector<AttendanceMark> marks;
  for (int i = 0; i < 250; ++i) {
    const Enrolment e = enrolNew(cohort, "Қатысушы " + std::to_string(1000 + i));
    marks.push_back(markOf(e.id, S::present));
  }
  repos.attendance.saveSheet(sessions[0].id, marks, trainer_a.account_id);

  const auto outcome = service.issueCohort(trainer_a, cohort.id, std::nullopt);
  ASSERT_EQ(outcome.issued.size(), 250u);
  EXPECT_EQ(store.certificateBatches(), (std::vector<std::size_t>{100, 100, 50}));
  for (std::size_t i = 0; i < outcome.issued.size(); ++i) {
    EXPECT_EQ(outcome.issued[i].serial,
              formatSerial("LSG-EKZ-IP-2018", static_cast<long long>(i) + 1));
  }
}

TEST_F(CertificateServiceTest, AFailedBatchLeavesNoGapInTheSerials) {
  const auto sessions = addSessions(cohort, 1);
  qualified(sessions, "Әлия Ғабитқызы");
  qualified(sessions, "Серік Нұрланұлы");
  maker.failFor("LSG-EKZ-IP-2018-000002");
  EXPECT_ERROR(ErrorCode::unprocessable, service.issueCohort(admin, cohort.id, std::nullopt));
  EXPECT_TRUE(service.listForCohort(admin, cohort.id).empty());

  // The first draft's number was not used up by the rolled-back batch.
  maker.failFor("");
  const auto outcome = service.issueCohort(admin, cohort.id, std::nullopt);
  ASSERT_EQ(outcome.issued.size(), 2u);
  EXPECT_EQ(outcome.issued[0].serial, "LSG-EKZ-IP-2018-000001");
  EXPECT_EQ(outcome.issued[1].serial, "LSG-EKZ-IP-2018-000002");
}

// --- waivers ------------------------------------------------------------------------------------

TEST_F(CertificateServiceTest, AdminWaiverIssuesToANonQualifierAndIsAudited) {
  const auto sessions = addSessions(cohort, 4);
  const Enrolment e = enrolNew(cohort, "Серік Нұрланұлы");
  mark(sessions, e, {S::present, S::absent, S::absent, S::absent});
  const Certificate c = service.issueOne(admin, e.id, std::nullopt,
                                         std::string("  Was in hospital; did the work at home "));
  EXPECT_EQ(c.waiver_reason, "Was in hospital; did the work at home");
  EXPECT_EQ(c.sessions_attended, 1);
  EXPECT_EQ(c.sessions_total, 4);
  EXPECT_EQ(c.issued_by, admin.account_id);
  const auto trail = service.audit(admin, c.id);
  ASSERT_EQ(trail.size(), 1u);
  EXPECT_EQ(trail[0].action, "issued_with_waiver");
  EXPECT_EQ(trail[0].account_id, admin.account_id);
  EXPECT_EQ(trail[0].reason, "Was in hospital; did the work at home");
  // Issuing the cohort afterwards counts the waived certificate as held.
  const auto outcome = service.issueCohort(admin, cohort.id, std::nullopt);
  EXPECT_TRUE(outcome.issued.empty());
  ASSERT_EQ(outcome.already.size(), 1u);
  EXPECT_EQ(outcome.already[0].id, c.id);
}

TEST_F(CertificateServiceTest, OnlyAnAdminMayWaive) {
  const Enrolment e = enrolNew(cohort, "Серік Нұрланұлы");
  addSessions(cohort, 2);
  EXPECT_ERROR(ErrorCode::forbidden,
               service.issueOne(trainer_a, e.id, std::nullopt, std::string("Was in hospital")));
  EXPECT_ERROR(ErrorCode::invalid_argument,
               service.issueOne(admin, e.id, std::nullopt, std::string(" ok ")));
  EXPECT_ERROR(ErrorCode::invalid_argument,
               service.issueOne(admin, e.id, std::nullopt, std::string(501, 'x')));
  EXPECT_TRUE(service.listForCohort(admin, cohort.id).empty());
  EXPECT_EQ(maker.calls(), 0);
}

// --- who may do what ----------------------------------------------------------------------------

TEST_F(CertificateServiceTest, AnotherTrainersCohortIsNotFound) {
  const Enrolment e = qualified(addSessions(cohort, 1), "Әлия Ғабитқызы");
  const Certificate c = service.issueCohort(trainer_a, cohort.id, std::nullopt).issued.at(0);
  EXPECT_ERROR(ErrorCode::not_found, service.issueCohort(trainer_c, cohort.id, std::nullopt));
  EXPECT_ERROR(ErrorCode::not_found, service.eligibility(trainer_c, cohort.id));
  EXPECT_ERROR(ErrorCode::not_found, service.listForCohort(trainer_c, cohort.id));
  EXPECT_ERROR(ErrorCode::not_found, service.issueOne(trainer_c, e.id, std::nullopt, std::nullopt));
  EXPECT_ERROR(ErrorCode::not_found, service.find(trainer_c, c.id));
  EXPECT_ERROR(ErrorCode::not_found, service.pdf(trainer_c, c.id));
  EXPECT_ERROR(ErrorCode::not_found, service.audit(trainer_c, c.id));
  EXPECT_ERROR(ErrorCode::not_found, service.revoke(trainer_c, c.id, "Not my cohort"));
  EXPECT_EQ(service.find(admin, c.id).status, CertificateStatus::valid);
}

TEST_F(CertificateServiceTest, TrainerListsAPersonsCertificatesOfTheirCohortsOnly) {
  const Enrolment e = qualified(addSessions(cohort, 1), "Әлия Ғабитқызы");
  service.issueCohort(trainer_a, cohort.id, std::nullopt);
  Cohort theirs;
  theirs.course_id = course.id;
  theirs.locality_id = village.id;
  theirs.place = "School";
  theirs.starts_on = "2019-05-01";
  theirs.ends_on = "2019-05-02";
  theirs.trainer_ids = {trainer_c.account_id};
  theirs = repos.cohorts.create(theirs);
  const auto sessions = addSessions(theirs, 1);
  repos.enrolments.enrol(e.participant_id, theirs.id, trainer_c.account_id, std::nullopt);
  mark(sessions, repos.enrolments.listForCohort(theirs.id).at(0), {S::present});
  const Certificate own = service.issueCohort(trainer_c, theirs.id, std::nullopt).issued.at(0);
  EXPECT_EQ(own.serial, "LSG-EKZ-IP-2019-000001");

  EXPECT_EQ(service.listForParticipant(admin, e.participant_id).size(), 2u);
  const auto visible = service.listForParticipant(trainer_c, e.participant_id);
  ASSERT_EQ(visible.size(), 1u);
  EXPECT_EQ(visible[0].id, own.id);
}

TEST_F(CertificateServiceTest, LearnerReadsOnlyTheirOwnCertificates) {
  const auto sessions = addSessions(cohort, 1);
  const Enrolment mine = qualified(sessions, "Гүлнар Ахметова");
  const Enrolment theirs = qualified(sessions, "Анна Ёлкина");
  const auto issued = service.issueCohort(trainer_a, cohort.id, std::nullopt).issued;
  ASSERT_EQ(issued.size(), 2u);
  const Actor learner = makeActor(Role::learner, "learner-1", "", mine.participant_id);

  EXPECT_EQ(service.find(learner, issued[0].id).full_name, "Гүлнар Ахметова");
  EXPECT_EQ(service.pdf(learner, issued[0].id).first.id, issued[0].id);
  const auto own = service.listForParticipant(learner, mine.participant_id);
  ASSERT_EQ(own.size(), 1u);
  EXPECT_EQ(own[0].id, issued[0].id);

  EXPECT_ERROR(ErrorCode::not_found, service.find(learner, issued[1].id));
  EXPECT_ERROR(ErrorCode::not_found, service.pdf(learner, issued[1].id));
  EXPECT_ERROR(ErrorCode::not_found, service.listForParticipant(learner, theirs.participant_id));

  EXPECT_ERROR(ErrorCode::forbidden, service.issueCohort(learner, cohort.id, std::nullopt));
  EXPECT_ERROR(ErrorCode::forbidden,
               service.issueOne(learner, mine.id, std::nullopt, std::nullopt));
  EXPECT_ERROR(ErrorCode::forbidden, service.revoke(learner, issued[0].id, "Do not want it"));
  EXPECT_ERROR(ErrorCode::forbidden, service.audit(learner, issued[0].id));
  EXPECT_ERROR(ErrorCode::forbidden, service.listForCohort(learner, cohort.id));
  EXPECT_ERROR(ErrorCode::forbidden, service.eligibility(learner, cohort.id));
}

TEST_F(CertificateServiceTest, LearnerWithoutAPersonSeesNothing) {
  qualified(addSessions(cohort, 1), "Гүлнар Ахметова");
  const Certificate c = service.issueCohort(trainer_a, cohort.id, std::nullopt).issued.at(0);
  const Actor stray = makeActor(Role::learner, "learner-x", "");
  EXPECT_ERROR(ErrorCode::not_found, service.find(stray, c.id));
}

// --- verification -------------------------------------------------------------------------------

TEST_F(CertificateServiceTest, VerifyNeedsSerialAndTokenAndAnswersFailuresAlike) {
  qualified(addSessions(cohort, 1), "Әлия Ғабитқызы");
  const Certificate c = service.issueCohort(trainer_a, cohort.id, std::nullopt).issued.at(0);

  const auto found = service.verify(c.serial, c.verification_token);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, c.id);
  EXPECT_EQ(found->full_name, "Әлия Ғабитқызы");

  std::string wrong = c.verification_token;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(service.verify(c.serial, wrong).has_value());
  EXPECT_FALSE(service.verify(c.serial, c.verification_token + "x").has_value());
  EXPECT_FALSE(service.verify(c.serial, "").has_value());
  EXPECT_FALSE(service.verify("LSG-EKZ-IP-2018-000099", c.verification_token).has_value());
  EXPECT_FALSE(service.verify("not a serial", c.verification_token).has_value());

  service.revoke(admin, c.id, "Issued by mistake");
  const auto revoked = service.verify(c.serial, c.verification_token);
  ASSERT_TRUE(revoked.has_value());
  EXPECT_EQ(revoked->status, CertificateStatus::revoked);
}

TEST_F(CertificateServiceTest, CheckNeedsTheSerialAndThePrintedCodeAsTyped) {
  qualified(addSessions(cohort, 1), "Әлия Ғабитқызы");
  const Certificate c = service.issueCohort(trainer_a, cohort.id, std::nullopt).issued.at(0);
  const std::string code = maker.checkCode(c.serial);
  ASSERT_EQ(code.size(), kCheckCodeLength);

  const auto found = service.check(c.serial, formatTypedCode(code));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, c.id);
  std::string lower = code;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_TRUE(service.check(c.serial, lower).has_value());

  std::string wrong = code;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(service.check(c.serial, wrong).has_value());
  EXPECT_FALSE(service.check(c.serial, code + "A").has_value());
  EXPECT_FALSE(service.check(c.serial, "").has_value());
  EXPECT_FALSE(service.check("LSG-EKZ-IP-2018-000099", code).has_value());
  EXPECT_FALSE(service.check("not a serial", code).has_value());

  service.revoke(admin, c.id, "Issued by mistake");
  const auto revoked = service.check(c.serial, code);
  ASSERT_TRUE(revoked.has_value());
  EXPECT_EQ(revoked->status, CertificateStatus::revoked);
}

}  // namespace
}  // namespace courses
