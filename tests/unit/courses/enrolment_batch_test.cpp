#include "courses/enrolment_batch.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "courses/error.hpp"
#include "courses/services.hpp"
#include "support/domain_checks.hpp"
#include "support/fakes.hpp"
#include "support/memory_store.hpp"

namespace courses {
namespace {

using support::FixedClock;

/// One course with a cohort per trainer, over the in-memory store.
class EnrolmentBatchTest : public ::testing::Test {
 protected:
  EnrolmentBatchTest()
      : repos(store.repositories()),
        catalogue(repos),
        cohorts(repos),
        participants(repos, clock, coverage),
        enrolments(repos) {
    store.setNow(clock.now_);
    admin = actor(Role::admin, "admin");
    trainer = actor(Role::trainer, "trainer.a");
    other_trainer = actor(Role::trainer, "trainer.b");
    const Programme programme =
        catalogue.createProgramme(admin, Programme{0,
                                                   "LSG-EKZ",
                                                   {"Қатысу", "Участие", "Participation"},
                                                   "European Union",
                                                   "2017-02-01",
                                                   "2020-01-31",
                                                   {},
                                                   {}});
    village = catalogue.createLocality(
        admin,
        Locality{0, std::nullopt, LocalityKind::region, {"Нұра", "Нура", "Nura"}, std::nullopt});
    const Course course =
        catalogue.createCourse(admin, Course{0,
                                             programme.id,
                                             "inclusive_planning",
                                             {"Жоспарлау", "Планирование", "Planning"},
                                             24,
                                             CompletionRule{80, false, false},
                                             true,
                                             CertificateLanguage::all});
    cohort = cohorts.create(
        trainer,
        Cohort{0, course.id, village.id, "Клуб", "2018-03-01", "2018-03-31", Language::kk, {}});
  }

  Actor actor(Role role, const std::string& login) {
    Account account;
    account.login = login;
    account.role = role;
    return Actor{repos.accounts.create(account, "").id, role, std::nullopt};
  }

  BatchRow row(const std::string& name, int birth_year, bool confirm_new = false) {
    BatchRow r;
    r.registration.person.full_name = name;
    r.registration.person.demographics.gender = Gender::female;
    r.registration.person.demographics.birth_year = birth_year;
    r.registration.person.demographics.locality_id = village.id;
    r.registration.person.demographics.affiliation = Affiliation::community_member;
    r.registration.person.consent = true;
    r.registration.not_duplicate = confirm_new;
    return r;
  }

  std::size_t people() { return participants.search(admin, "", PageRequest{0, 200}).items.size(); }

  support::MemoryStore store;
  Repositories repos;
  FixedClock clock;
  support::FakeGlyphCoverage coverage;
  CatalogueService catalogue;
  CohortService cohorts;
  ParticipantService participants;
  EnrolmentService enrolments;
  Actor admin, trainer, other_trainer;
  Locality village;
  Cohort cohort;
};

TEST_F(EnrolmentBatchTest, StatusesHaveTheirWireNames) {
  EXPECT_EQ(toString(BatchRowStatus::enrolled), "enrolled");
  EXPECT_EQ(toString(BatchRowStatus::already_enrolled), "already_enrolled");
  EXPECT_EQ(toString(BatchRowStatus::duplicate), "duplicate");
  EXPECT_EQ(toString(BatchRowStatus::invalid), "invalid");
}

TEST_F(EnrolmentBatchTest, EachRowStandsAlone) {
  const Participant aliya =
      participants
          .registerPerson(admin,
                          {row("Әлия Нұрланқызы", 1990).registration.person, std::nullopt, false})
          .participant;
  BatchRow unreadable;
  unreadable.problems.push_back({"gender", "must be a string"});
  std::vector<BatchRow> rows;
  rows.push_back(row("Дана Серікқызы", 1995));
  rows.push_back(row("Әлия Нұрланқызы", 1990));
  rows.push_back(row("Әлия Нұрланқызы", 1990, true));
  rows.push_back(row("Ақбота Ерланқызы", 1800));
  rows.push_back(std::move(unreadable));
  rows.push_back(row("Дана Серікқызы", 1995));  // the first row again
  const auto results = enrolBatch(participants, enrolments, trainer, cohort.id, rows, false);
  ASSERT_EQ(results.size(), 6U);
  EXPECT_EQ(results[0].status, BatchRowStatus::enrolled);
  EXPECT_EQ(results[1].status, BatchRowStatus::duplicate);
  ASSERT_EQ(results[1].candidates.size(), 1U);
  // The trainer may not see Әлия, whom an administrator registered: no id.
  EXPECT_EQ(results[1].candidates[0].id, 0);
  EXPECT_NE(aliya.id, 0);
  EXPECT_EQ(results[2].status, BatchRowStatus::enrolled);
  EXPECT_NE(results[2].participant_id, aliya.id);
  EXPECT_EQ(results[3].status, BatchRowStatus::invalid);
  EXPECT_EQ(results[3].errors.at(0).field, "birth_year");
  EXPECT_EQ(results[4].status, BatchRowStatus::invalid);
  EXPECT_EQ(results[4].errors.at(0).field, "gender");
  EXPECT_EQ(results[5].status, BatchRowStatus::already_enrolled);
  EXPECT_EQ(results[5].participant_id, results[0].participant_id);
  EXPECT_EQ(results[5].enrolment_id, results[0].enrolment_id);
  EXPECT_EQ(enrolments.list(admin, cohort.id).size(), 2U);
  EXPECT_EQ(people(), 3U);
}

TEST_F(EnrolmentBatchTest, DryRunWritesNothing) {
  std::vector<BatchRow> rows;
  rows.push_back(row("Дана Серікқызы", 1995));
  rows.push_back(row("Ақбота Ерланқызы", 1800));
  const auto results = enrolBatch(participants, enrolments, trainer, cohort.id, rows, true);
  EXPECT_EQ(results[0].status, BatchRowStatus::enrolled);
  EXPECT_FALSE(results[0].participant_id);
  EXPECT_FALSE(results[0].enrolment_id);
  EXPECT_EQ(results[1].status, BatchRowStatus::invalid);
  EXPECT_EQ(people(), 0U);
  EXPECT_TRUE(enrolments.list(admin, cohort.id).empty());
  // checkRegistration answers as registerPerson would, without storing.
  EXPECT_TRUE(
      participants.checkRegistration(trainer, row("Дана Серікқызы", 1995).registration).created);
  EXPECT_EQ(people(), 0U);
}

TEST_F(EnrolmentBatchTest, AccessComesBeforeTheRowCount) {
  const std::vector<BatchRow> too_many(kMaxBatchRows + 1, row("Дана Серікқызы", 1995));
  const Actor learner = actor(Role::learner, "learner");
  EXPECT_ERROR(ErrorCode::forbidden,
               enrolBatch(participants, enrolments, learner, cohort.id, {}, false));
  EXPECT_ERROR(ErrorCode::not_found,
               enrolBatch(participants, enrolments, other_trainer, cohort.id, too_many, false));
  EXPECT_INVALID_FIELD("rows",
                       enrolBatch(participants, enrolments, trainer, cohort.id, too_many, false));
  EXPECT_EQ(people(), 0U);
}

}  // namespace
}  // namespace courses
