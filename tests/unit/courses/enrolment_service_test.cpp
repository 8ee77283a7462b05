// EnrolmentService, courses/enrolment_service.hpp.
#include "courses/enrolment_service.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "courses/error.hpp"
#include "services_fixture.hpp"
#include "support/domain_checks.hpp"

namespace courses {
namespace {

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

}  // namespace
}  // namespace courses
