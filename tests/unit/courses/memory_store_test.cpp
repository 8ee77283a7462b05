// The in-memory repositories other unit tests rely on keep the documented semantics of
// courses/repositories.hpp for certificates, attendance per cohort, access codes and totals facts.
#include "support/memory_store.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "courses/error.hpp"
#include "courses/repositories.hpp"
#include "courses/rules.hpp"
#include "courses/totals.hpp"
#include "support/fakes.hpp"

namespace support {
namespace {

using courses::Account;
using courses::AttendanceMark;
using courses::AttendanceStatus;
using courses::Certificate;
using courses::CertificateArtifacts;
using courses::CertificateStatus;
using courses::Error;
using courses::ErrorCode;
using courses::Id;

class MemoryStoreTest : public ::testing::Test {
 protected:
  MemoryStoreTest() : repos(store.repositories()) {}

  /// A person registered for the test (the same one each call).
  courses::Participant someone() {
    courses::Participant p;
    p.full_name = "Серік Нұрланұлы";
    return repos.participants.create(p, courses::DuplicateKey{});
  }

  Certificate draft(Id enrolment_id, std::optional<std::string> waiver = std::nullopt) {
    Certificate c;
    c.enrolment_id = enrolment_id;
    c.participant_id = enrolment_id * 10;
    c.cohort_id = 7;
    c.full_name = "Әлия Ғабитқызы";
    c.issued_by = 3;
    c.issued_at = "2026-11-27T10:00:00Z";
    c.waiver_reason = std::move(waiver);
    return c;
  }

  std::vector<Certificate> issue(const std::vector<Certificate>& drafts,
                                 const std::string& series = "LSG-IP-2019") {
    return repos.certificates.issue(drafts, std::vector<std::string>(drafts.size(), series),
                                    [this](const Certificate& c) { return maker.make(c); });
  }

  MemoryStore store;
  courses::Repositories repos;
  FakeCertificateMaker maker;
};

TEST_F(MemoryStoreTest, SerialsCountPerSeriesAndSkipEnrolmentsHoldingACertificate) {
  const auto first = issue({draft(1), draft(2), draft(1)});
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].serial, "LSG-IP-2019-000001");
  EXPECT_EQ(first[1].serial, "LSG-IP-2019-000002");
  EXPECT_EQ(issue({draft(2)}).size(), 0u);
  EXPECT_EQ(issue({draft(3)}, "LSG-EN-2019").at(0).serial, "LSG-EN-2019-000001");
  EXPECT_EQ(issue({draft(4)}).at(0).serial, "LSG-IP-2019-000003");
  EXPECT_EQ(store.certificateBatches(), (std::vector<std::size_t>{3, 1, 1, 1}));
}

TEST_F(MemoryStoreTest, IssueStoresArtefactsAndAuditsWaivers) {
  const Certificate c = issue({draft(1, "Was in hospital")}).at(0);
  EXPECT_EQ(c.verification_token.size(), 22u);
  EXPECT_FALSE(c.signature.empty());
  const auto pdf = repos.certificates.pdf(c.id);
  ASSERT_TRUE(pdf.has_value());
  EXPECT_EQ(static_cast<long long>(pdf->size()), c.pdf_size);
  EXPECT_EQ(repos.certificates.findBySerial(c.serial)->id, c.id);
  const auto trail = repos.certificates.audit(c.id);
  ASSERT_EQ(trail.size(), 1u);
  EXPECT_EQ(trail[0].action, "issued_with_waiver");
  EXPECT_EQ(trail[0].reason, "Was in hospital");
  EXPECT_EQ(trail[0].account_id, 3);
}

TEST_F(MemoryStoreTest, AFailingMakerRollsBackTheWholeBatch) {
  maker.failFor("LSG-IP-2019-000002");
  EXPECT_THROW(issue({draft(1), draft(2)}), Error);
  EXPECT_TRUE(repos.certificates.listForCohort(7).empty());
  maker.failFor("");
  EXPECT_EQ(issue({draft(1)}).at(0).serial, "LSG-IP-2019-000001");
}

TEST_F(MemoryStoreTest, RevokingFreesTheEnrolmentForANewSerial) {
  const Certificate c = issue({draft(1)}).at(0);
  const Certificate revoked =
      repos.certificates.revoke(c.id, "Misspelt", 5, "2026-11-28T00:00:00Z");
  EXPECT_EQ(revoked.status, CertificateStatus::revoked);
  EXPECT_EQ(revoked.revoked_by, 5);
  try {
    repos.certificates.revoke(c.id, "Again", 5, "2026-11-28T00:00:00Z");
    ADD_FAILURE() << "revoked twice";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::conflict);
  }
  const Certificate again = issue({draft(1)}).at(0);
  EXPECT_EQ(again.serial, "LSG-IP-2019-000002");
  const auto all = repos.certificates.listForParticipant(10);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, c.id);
  EXPECT_EQ(repos.certificates.audit(c.id).back().action, "revoked");
}

TEST_F(MemoryStoreTest, SaveSheetChecksTheSessionItReadsAndAnswersTheSheet) {
  courses::Cohort cohort;
  cohort.trainer_ids = {7, 3};
  cohort = repos.cohorts.create(cohort);
  courses::Session session;
  session.cohort_id = cohort.id;
  session = repos.cohorts.addSession(session);
  const Id enrolment = repos.enrolments.enrol(someone().id, cohort.id, 1, std::nullopt).enrolment.id;
  AttendanceMark mark;
  mark.enrolment_id = enrolment;
  mark.status = AttendanceStatus::late;

  std::optional<courses::SheetSession> seen;
  const auto rows = repos.attendance.saveSheet(
      session.id, {mark}, 3, [&](const std::optional<courses::SheetSession>& read) { seen = read; });
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->cohort_id, cohort.id);
  EXPECT_EQ(seen->trainer_ids, (std::vector<Id>{3, 7}));
  EXPECT_EQ(seen->enrolment_ids, std::vector<Id>{enrolment});
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_TRUE(rows[0].mark.has_value());
  EXPECT_EQ(rows[0].mark->status, AttendanceStatus::late);

  // A check that throws leaves everything as it was.
  mark.status = AttendanceStatus::absent;
  EXPECT_THROW(repos.attendance.saveSheet(session.id, {mark}, 3,
                                          [](const std::optional<courses::SheetSession>&) {
                                            throw Error(ErrorCode::invalid_argument, "no");
                                          }),
               Error);
  EXPECT_EQ(repos.attendance.sheet(session.id).at(0).mark->status, AttendanceStatus::late);
  EXPECT_EQ(store.attendanceAudit().size(), 1u);

  bool told_missing = false;
  EXPECT_THROW(repos.attendance.saveSheet(session.id + 1000, {}, 3,
                                          [&](const std::optional<courses::SheetSession>& read) {
                                            told_missing = !read.has_value();
                                          }),
               Error);
  EXPECT_TRUE(told_missing);
}

TEST_F(MemoryStoreTest, StatusesForCohortGroupsMarksByEnrolment) {
  courses::Cohort cohort;
  cohort.course_id = 1;
  cohort = repos.cohorts.create(cohort);
  courses::Cohort other = repos.cohorts.create(courses::Cohort{});
  courses::Session s1;
  s1.cohort_id = cohort.id;
  s1.starts_at = "2019-01-01T04:00:00Z";
  courses::Session s2 = s1;
  s2.starts_at = "2019-01-02T04:00:00Z";
  s1 = repos.cohorts.addSession(s1);
  s2 = repos.cohorts.addSession(s2);
  courses::Session elsewhere;
  elsewhere.cohort_id = other.id;
  elsewhere = repos.cohorts.addSession(elsewhere);

  const courses::Participant p = someone();
  const Id in_cohort = repos.enrolments.enrol(p.id, cohort.id, 1, std::nullopt).enrolment.id;
  const Id in_other = repos.enrolments.enrol(p.id, other.id, 1, std::nullopt).enrolment.id;
  const auto mark = [](Id enrolment, AttendanceStatus status) {
    AttendanceMark m;
    m.enrolment_id = enrolment;
    m.status = status;
    return m;
  };
  repos.attendance.saveSheet(s1.id, {mark(in_cohort, AttendanceStatus::late)}, 1);
  repos.attendance.saveSheet(s2.id, {mark(in_cohort, AttendanceStatus::excused)}, 1);
  repos.attendance.saveSheet(elsewhere.id, {mark(in_other, AttendanceStatus::present)}, 1);

  const auto statuses = repos.attendance.statusesForCohort(cohort.id);
  ASSERT_EQ(statuses.size(), 1u);
  EXPECT_EQ(statuses.at(in_cohort).size(), 2u);
  EXPECT_TRUE(repos.attendance.statusesForCohort(999).empty());
}

TEST_F(MemoryStoreTest, AccessCodesWorkOnceBeforeTheyExpireAndResetThePassword) {
  Account learner;
  learner.login = "learner-12";
  learner.display_name = "Гүлнар Ахметова";
  learner.participant_id = 12;
  learner = repos.accounts.create(learner, "old-hash");
  // The account has a password: only an administrator's reset code opens it.
  const std::optional<courses::AccountEvent> reset =
      courses::AccountEvent{"password_reset_code", 1, "2026-01-01T00:00:00Z"};
  EXPECT_EQ(repos.accounts.find(learner.id)->display_name, "Гүлнар Ахметова");
  EXPECT_EQ(repos.accounts.findByParticipant(12)->id, learner.id);
  EXPECT_FALSE(repos.accounts.findByParticipant(13).has_value());

  repos.accounts.storeAccessCode(learner.id, "first", "2026-01-08T00:00:00Z", reset);
  repos.accounts.storeAccessCode(learner.id, "second", "2026-01-08T00:00:00Z", reset);
  EXPECT_FALSE(repos.accounts.redeemAccessCode("first", "2026-01-02T00:00:00Z").has_value());
  EXPECT_FALSE(repos.accounts.redeemAccessCode("second", "2026-01-08T00:00:00Z").has_value());
  const auto redeemed = repos.accounts.redeemAccessCode("second", "2026-01-02T00:00:00Z");
  ASSERT_TRUE(redeemed.has_value());
  EXPECT_EQ(redeemed->id, learner.id);
  EXPECT_TRUE(repos.accounts.findByLogin("learner-12")->password_hash.empty());
  EXPECT_FALSE(repos.accounts.redeemAccessCode("second", "2026-01-02T00:00:00Z").has_value());

  repos.accounts.storeAccessCode(learner.id, "third", "2026-01-08T00:00:00Z", reset);
  repos.accounts.setDisabled(learner.id, true);
  EXPECT_FALSE(repos.accounts.redeemAccessCode("third", "2026-01-02T00:00:00Z").has_value());
}

TEST(FakeGlyphCoverageTest, RefusesSupplementaryPlaneAndCjk) {
  const FakeGlyphCoverage coverage;
  EXPECT_FALSE(coverage.firstMissing("Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі Ёё Йй O'Neil").has_value());
  EXPECT_EQ(coverage.firstMissing("a\xF0\x9F\x98\x80"), U'\U0001F600');
  EXPECT_EQ(coverage.firstMissing("王"), U'\u738B');
  EXPECT_FALSE(coverage.firstMissing("\xEA\xB0\x80").has_value());  // U+AC00 is outside both
}

// --- totals facts
// ---------------------------------------------------------------------------------

/// One programme, one course, cohorts made straight in the repositories.
class MemoryTotalsTest : public MemoryStoreTest {
 protected:
  MemoryTotalsTest() {
    courses::Programme p;
    p.code = "FACTS-1";
    programme = repos.programmes.create(p);
    courses::Course c;
    c.programme_id = programme.id;
    c.track = "inclusive_planning";
    course = repos.courses.create(c);
  }

  courses::Cohort cohort(const courses::Date& starts_on, const courses::Date& ends_on,
                         Id trainer = 50) {
    courses::Cohort c;
    c.course_id = course.id;
    c.starts_on = starts_on;
    c.ends_on = ends_on;
    c.trainer_ids = {trainer};
    return repos.cohorts.create(c);
  }

  courses::Session session(const courses::Cohort& of, const std::string& starts_at, int minutes) {
    courses::Session s;
    s.cohort_id = of.id;
    s.starts_at = starts_at;
    s.duration_minutes = minutes;
    return repos.cohorts.addSession(s);
  }

  Id enrol(const courses::Cohort& in, const std::string& name) {
    courses::Participant person;
    person.full_name = name;
    person.demographics.gender = courses::Gender::female;
    person.demographics.birth_year = 1990;
    const auto stored = repos.participants.create(person, courses::duplicateKey(person));
    return repos.enrolments.enrol(stored.id, in.id, 50, std::nullopt).enrolment.id;
  }

  void mark(const courses::Session& s, Id enrolment_id, AttendanceStatus status) {
    repos.attendance.saveSheet(s.id, {AttendanceMark{enrolment_id, status, 0, ""}}, 50);
  }

  courses::TotalsScope march() const {
    courses::TotalsScope scope;
    scope.programme_id = programme.id;
    scope.period = {"2018-03-01", "2018-03-31"};
    return scope;
  }

  courses::Programme programme;
  courses::Course course;
};

TEST_F(MemoryTotalsTest, CountersSplitThePeriodFromTheWholeCohort) {
  const auto c = cohort("2018-02-01", "2018-04-30");
  const auto feb = session(c, "2018-02-10T04:00:00Z", 60);
  const auto mar = session(c, "2018-03-10T04:00:00Z", 90);
  const auto mar_end = session(c, "2018-03-31T23:00:00Z", 30);  // the last day counts
  const auto apr = session(c, "2018-04-10T04:00:00Z", 120);
  const Id e = enrol(c, "Әлия Ғабитқызы");
  mark(feb, e, AttendanceStatus::present);
  mark(mar, e, AttendanceStatus::late);
  mark(mar_end, e, AttendanceStatus::excused);
  mark(apr, e, AttendanceStatus::present);

  const auto facts = repos.totals.facts(march());
  ASSERT_EQ(facts.cohorts.size(), 1u);
  EXPECT_EQ(facts.cohorts[0].session_count, 4);
  EXPECT_EQ(facts.cohorts[0].sessions_delivered_in_period, 1);  // excused is not attendance
  EXPECT_FALSE(facts.cohorts[0].completes_in_period);           // last session in April
  ASSERT_EQ(facts.enrolments.size(), 1u);
  const auto& f = facts.enrolments[0];
  EXPECT_EQ(f.attended_in_period, 1);
  EXPECT_EQ(f.marked_in_period, 2);
  EXPECT_EQ(f.attended_minutes_in_period, 90);
  EXPECT_EQ(f.attended_total, 3);
  EXPECT_EQ(f.excused_total, 1);
  EXPECT_FALSE(f.certified);
  EXPECT_EQ(facts.programmes.size(), 1u);
  EXPECT_EQ(facts.courses.size(), 1u);
}

TEST_F(MemoryTotalsTest, OnlyCohortsWithASessionInThePeriodOrDatesOverlappingItWithoutSessions) {
  const auto around = cohort("2018-02-01", "2018-04-30");  // sessions before and after March
  session(around, "2018-02-10T04:00:00Z", 60);
  session(around, "2018-04-10T04:00:00Z", 60);
  const auto unscheduled = cohort("2018-03-15", "2018-05-15");  // no sessions, dates overlap
  cohort("2018-05-01", "2018-05-31");                           // no sessions, dates after
  const auto other_trainer = cohort("2018-03-01", "2018-03-31", 51);
  session(other_trainer, "2018-03-05T04:00:00Z", 60);

  auto facts = repos.totals.facts(march());
  ASSERT_EQ(facts.cohorts.size(), 2u);
  EXPECT_EQ(facts.cohorts[0].id, unscheduled.id);
  EXPECT_FALSE(facts.cohorts[0].completes_in_period);  // ends in May
  EXPECT_EQ(facts.cohorts[1].id, other_trainer.id);
  EXPECT_TRUE(facts.cohorts[1].completes_in_period);

  auto scope = march();
  scope.trainer_account_id = 50;
  facts = repos.totals.facts(scope);
  ASSERT_EQ(facts.cohorts.size(), 1u);
  EXPECT_EQ(facts.cohorts[0].id, unscheduled.id);
  scope.track = "entrepreneurship";
  EXPECT_TRUE(repos.totals.facts(scope).cohorts.empty());
}

TEST_F(MemoryTotalsTest, TargetsAreReplacedWholeAndOrdered) {
  using courses::Measure;
  using courses::Target;
  EXPECT_TRUE(repos.totals.targets(programme.id).empty());
  const auto stored = repos.totals.replaceTargets(
      programme.id, {Target{Measure::sessions, std::nullopt, 40},
                     Target{Measure::trained, std::string("study_visit"), 8},
                     Target{Measure::trained, std::nullopt, 100}});
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].measure, Measure::trained);
  EXPECT_FALSE(stored[0].track.has_value());
  EXPECT_EQ(stored[1].track, "study_visit");
  EXPECT_EQ(stored[2].measure, Measure::sessions);
  EXPECT_EQ(repos.totals.targets(programme.id).size(), 3u);
  repos.totals.replaceTargets(programme.id, {Target{Measure::certified, std::nullopt, 5}});
  EXPECT_EQ(repos.totals.targets(programme.id).size(), 1u);
  try {
    repos.totals.replaceTargets(987654, {});
    ADD_FAILURE() << "targets of an unknown programme";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_found);
  }
}
}  // namespace
}  // namespace support
