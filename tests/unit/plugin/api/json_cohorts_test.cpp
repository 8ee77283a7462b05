#include "plugin/api/json_cohorts.hpp"

#include <gtest/gtest.h>

#include <string>

#include "json_fixture.hpp"

namespace plugin::api {
namespace {

namespace json = boost::json;
using courses::ErrorCode;
using namespace json_fixture;

TEST(JsonCohort, RoundTrip) {
  courses::Cohort cohort;
  cohort.id = 5;
  cohort.course_id = 4;
  cohort.locality_id = 9;
  cohort.place = "Нұра ауылы, мәдениет үйі";
  cohort.starts_on = "2018-04-02";
  cohort.ends_on = "2018-04-06";
  cohort.language = courses::Language::ru;
  cohort.trainer_ids = {11, 12};
  const courses::Cohort back = cohortFromJson(withoutMembers(toJson(cohort), {"id"}));
  EXPECT_EQ(back.course_id, 4);
  EXPECT_EQ(back.locality_id, 9);
  EXPECT_EQ(back.place, cohort.place);
  EXPECT_EQ(back.language, courses::Language::ru);
  EXPECT_EQ(back.trainer_ids, cohort.trainer_ids);
}

TEST(JsonSession, RoundTripTakesCohortFromPath) {
  courses::Session session{1, 5, "2018-04-02T09:00:00Z", 90, "Кіріспе"};
  const courses::Session back =
      sessionFromJson(withoutMembers(toJson(session), {"id", "cohort_id"}), 7);
  EXPECT_EQ(back.cohort_id, 7);
  EXPECT_EQ(back.starts_at, session.starts_at);
  EXPECT_EQ(back.duration_minutes, 90);
  EXPECT_EQ(back.topic, session.topic);
  EXPECT_NE(badRequestDetail(R"({"cohort_id":5,"starts_at":"x","duration_minutes":1,"topic":"t"})",
                             kReadSession)
                .find("cohort_id"),
            std::string::npos);
}

}  // namespace
}  // namespace plugin::api
