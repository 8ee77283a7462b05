// ProfileService, courses/profile_service.hpp.
#include "courses/profile_service.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "courses/error.hpp"
#include "services_fixture.hpp"
#include "support/domain_checks.hpp"

namespace courses {
namespace {

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

}  // namespace
}  // namespace courses
