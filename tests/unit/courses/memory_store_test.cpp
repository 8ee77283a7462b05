// The in-memory repositories other unit tests rely on keep the documented semantics of
// courses/repositories.hpp for certificates, attendance per cohort and access codes.
#include "support/memory_store.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "courses/error.hpp"
#include "courses/repositories.hpp"
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

  courses::Participant p;
  p.full_name = "Серік Нұрланұлы";
  p = repos.participants.create(p, courses::DuplicateKey{});
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
  EXPECT_EQ(repos.accounts.find(learner.id)->display_name, "Гүлнар Ахметова");
  EXPECT_EQ(repos.accounts.findByParticipant(12)->id, learner.id);
  EXPECT_FALSE(repos.accounts.findByParticipant(13).has_value());

  repos.accounts.storeAccessCode(learner.id, "first", "2026-01-08T00:00:00Z");
  repos.accounts.storeAccessCode(learner.id, "second", "2026-01-08T00:00:00Z");
  EXPECT_FALSE(repos.accounts.redeemAccessCode("first", "2026-01-02T00:00:00Z").has_value());
  EXPECT_FALSE(repos.accounts.redeemAccessCode("second", "2026-01-08T00:00:00Z").has_value());
  const auto redeemed = repos.accounts.redeemAccessCode("second", "2026-01-02T00:00:00Z");
  ASSERT_TRUE(redeemed.has_value());
  EXPECT_EQ(redeemed->id, learner.id);
  EXPECT_TRUE(repos.accounts.findByLogin("learner-12")->password_hash.empty());
  EXPECT_FALSE(repos.accounts.redeemAccessCode("second", "2026-01-02T00:00:00Z").has_value());

  repos.accounts.storeAccessCode(learner.id, "third", "2026-01-08T00:00:00Z");
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

}  // namespace
}  // namespace support
