#include "plugin/api/json_cohorts.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
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
  courses::Session session{1, 5, "2018-04-02T09:00:00Z", 90, "Кіріспе", std::nullopt};
  EXPECT_TRUE(toJson(session).at("cancelled").is_null());
  const courses::Session back =
      sessionFromJson(withoutMembers(toJson(session), {"id", "cohort_id", "cancelled"}), 7);
  EXPECT_EQ(back.cohort_id, 7);
  EXPECT_EQ(back.starts_at, session.starts_at);
  EXPECT_EQ(back.duration_minutes, 90);
  EXPECT_EQ(back.topic, session.topic);
  EXPECT_NE(badRequestDetail(R"({"cohort_id":5,"starts_at":"x","duration_minutes":1,"topic":"t"})",
                             kReadSession)
                .find("cohort_id"),
            std::string::npos);
}

TEST(JsonSession, APatchCancelsWithAReasonAndRestoresWithNull) {
  const auto cancel = sessionPatchFromJson(boost::json::parse(R"({"cancelled":{"reason":"Қар"}})"));
  ASSERT_TRUE(cancel.cancel_reason.has_value());
  EXPECT_EQ(cancel.cancel_reason->value_or(""), "Қар");
  EXPECT_FALSE(cancel.starts_at || cancel.duration_minutes || cancel.topic);
  const auto restore = sessionPatchFromJson(boost::json::parse(R"({"cancelled":null})"));
  ASSERT_TRUE(restore.cancel_reason.has_value());
  EXPECT_FALSE(restore.cancel_reason->has_value());
  const auto move =
      sessionPatchFromJson(boost::json::parse(R"({"starts_at":"2018-04-03T09:00:00Z"})"));
  EXPECT_EQ(move.starts_at.value_or(""), "2018-04-03T09:00:00Z");
  EXPECT_FALSE(move.cancel_reason.has_value());
  for (const char* bad : {R"({"cancelled":true})", R"({"cancelled":{}})", R"({"topic":null})",
                          R"({"cancelled":{"reason":"x","by":1}})"}) {
    SCOPED_TRACE(bad);
    EXPECT_ANY_THROW(sessionPatchFromJson(boost::json::parse(bad)));
  }
  courses::Session cancelled{1, 5, "2018-04-02T09:00:00Z", 90, "", std::nullopt};
  cancelled.cancelled = courses::SessionCancellation{"2018-04-01T10:00:00Z", 3, "Қар"};
  EXPECT_EQ(toJson(cancelled).at("cancelled").at("reason").as_string(), "Қар");
  EXPECT_EQ(toJson(cancelled).at("cancelled").at("by").to_number<long long>(), 3);
}

}  // namespace
}  // namespace plugin::api
