// Cohorts, their trainers and sessions.

#include <gtest/gtest.h>

#include "courses/error.hpp"
#include "fixtures.hpp"

namespace {

using namespace integration;

courses::CohortFilter filter(std::optional<Id> trainer, std::optional<Id> participant,
                             std::optional<Id> course) {
  courses::CohortFilter f;
  f.trainer_account_id = trainer;
  f.participant_id = participant;
  f.course_id = course;
  return f;
}

TEST(CohortRepository, StoresTrainersAndFindsThem) {
  auto repo = repos();
  const auto a = makeAccount();
  const auto b = makeAccount();
  const auto cohort = makeCohort({b.id, a.id, b.id});
  EXPECT_EQ(cohort.trainer_ids, (std::vector<Id>{a.id, b.id}));

  const auto found = repo.cohorts.find(cohort.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->course_id, cohort.course_id);
  EXPECT_EQ(found->locality_id, cohort.locality_id);
  EXPECT_EQ(found->place, "Akimat hall");
  EXPECT_EQ(found->starts_on, "2026-03-01");
  EXPECT_EQ(found->ends_on, "2026-03-05");
  EXPECT_EQ(found->language, courses::Language::ru);
  EXPECT_EQ(found->trainer_ids, (std::vector<Id>{a.id, b.id}));
  EXPECT_FALSE(repo.cohorts.find(cohort.id + 1000000));

  EXPECT_TRUE(repo.cohorts.isTrainerOf(cohort.id, a.id));
  EXPECT_TRUE(repo.cohorts.isTrainerOf(cohort.id, b.id));
  EXPECT_FALSE(repo.cohorts.isTrainerOf(cohort.id, makeAccount().id));
}

TEST(CohortRepository, ListsByTrainerParticipantAndCourse) {
  auto repo = repos();
  const auto trainer = makeAccount();
  const auto other = makeAccount();
  const auto mine = makeCohort({trainer.id});
  const auto shared = makeCohort({trainer.id, other.id});
  const auto theirs = makeCohort({other.id});

  const auto trainer_cohorts = repo.cohorts.list(filter(trainer.id, {}, {}));
  ASSERT_EQ(trainer_cohorts.size(), 2u);
  EXPECT_EQ(trainer_cohorts[0].id, mine.id);
  EXPECT_EQ(trainer_cohorts[1].id, shared.id);
  EXPECT_EQ(trainer_cohorts[1].trainer_ids, (std::vector<Id>{trainer.id, other.id}));

  const auto by_course = repo.cohorts.list(filter({}, {}, theirs.course_id));
  ASSERT_EQ(by_course.size(), 1u);
  EXPECT_EQ(by_course[0].id, theirs.id);
  EXPECT_EQ(by_course[0].trainer_ids, (std::vector<Id>{other.id}));
  EXPECT_TRUE(repo.cohorts.list(filter(trainer.id, {}, theirs.course_id)).empty());

  const auto person = makeParticipant(mine.locality_id, trainer.id);
  repo.enrolments.enrol(person.id, shared.id, trainer.id, std::nullopt);
  const auto of_person = repo.cohorts.list(filter({}, person.id, {}));
  ASSERT_EQ(of_person.size(), 1u);
  EXPECT_EQ(of_person[0].id, shared.id);

  EXPECT_GE(repo.cohorts.list({}).size(), 3u);
}

TEST(CohortRepository, UnknownTrainerIsRefusedAndNothingIsStored) {
  auto repo = repos();
  const auto before = repo.cohorts.list({}).size();
  try {
    makeCohort({makeAccount().id + 1000000});
    FAIL() << "cohort with an unknown trainer stored";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::invalid_argument);
  }
  EXPECT_EQ(repo.cohorts.list({}).size(), before) << "the transaction must have rolled back";
}

TEST(CohortRepository, SessionsAreOrderedByStart) {
  auto repo = repos();
  const auto cohort = makeCohort({makeAccount().id});
  const auto late = makeSession(cohort.id, "2026-03-02T14:00:00Z");
  const auto early = makeSession(cohort.id, "2026-03-01T09:30:00Z");
  const auto found = repo.cohorts.findSession(late.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->cohort_id, cohort.id);
  EXPECT_EQ(found->starts_at, "2026-03-02T14:00:00Z");
  EXPECT_EQ(found->duration_minutes, 90);
  EXPECT_EQ(found->topic, late.topic);
  EXPECT_FALSE(repo.cohorts.findSession(late.id + 1000000));

  const auto sessions = repo.cohorts.sessions(cohort.id);
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(sessions[0].id, early.id);
  EXPECT_EQ(sessions[1].id, late.id);

  courses::Session bad = late;
  bad.starts_at = "2026-03-02 14:00";
  EXPECT_THROW(repo.cohorts.addSession(bad), courses::Error);
  courses::Session orphan = late;
  orphan.cohort_id = cohort.id + 1000000;
  try {
    repo.cohorts.addSession(orphan);
    FAIL() << "session of an unknown cohort stored";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::not_found);
  }
}

}  // namespace
