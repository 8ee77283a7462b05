// CohortService, courses/cohort_service.hpp: cohorts, sessions, who sees which.
#include "courses/cohort_service.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "courses/error.hpp"
#include "services_fixture.hpp"
#include "support/domain_checks.hpp"

namespace courses {
namespace {

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

// --- storage ------------------------------------------------------------------------------------

TEST_F(ServicesTest, StorageOutageSurfacesAsUnavailable) {
  store.setUnavailable(true);
  EXPECT_ERROR(ErrorCode::unavailable, cohorts.list(admin, std::nullopt));
  store.setUnavailable(false);
  EXPECT_EQ(cohorts.list(admin, std::nullopt).size(), 2u);
}

}  // namespace
}  // namespace courses
