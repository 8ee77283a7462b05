// POST /api/v1/cohorts/{id}/enrolments/batch: a CSV import's rows, each registered and enrolled
// on its own, through the whole routing table over in-memory repositories.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "routes_fixture.hpp"

namespace plugin::api {
namespace {

class EnrolmentBatchRoutesTest : public CatalogueRoutesTest {
 protected:
  EnrolmentBatchRoutesTest() {
    admin = adminToken();
    trainer = tokenFor("trainer1", courses::Role::trainer);
    other_trainer = tokenFor("trainer2", courses::Role::trainer);
    createCatalogue(admin);
    cohort = cohortOf(trainer);
  }

  http::Response batch(const std::string& body, const std::string& token) {
    return call(verb::post, "/api/v1/cohorts/" + cohort + "/enrolments/batch", body,
                "application/json", token);
  }

  std::size_t enrolmentCount() {
    const auto listed = call(verb::get, "/api/v1/cohorts/" + cohort + "/enrolments", {}, {}, admin);
    EXPECT_EQ(listed.result(), Status::ok) << listed.body();
    return json::parse(listed.body()).at("items").as_array().size();
  }

  std::size_t participantCount() {
    const auto found = call(verb::get, "/api/v1/participants?limit=200", {}, {}, admin);
    EXPECT_EQ(found.result(), Status::ok) << found.body();
    return json::parse(found.body()).at("items").as_array().size();
  }

  std::string admin, trainer, other_trainer;
  std::string cohort;
};

TEST_F(EnrolmentBatchRoutesTest, EachRowIsEnrolledReportedOrRefusedOnItsOwn) {
  // Already registered, not in the cohort: a likely duplicate.
  const std::string aliya = create("/api/v1/participants", person("Әлия Нұрланқызы", 1990), admin);
  // Already registered and in the cohort.
  const std::string boris = create("/api/v1/participants", person("Борис Ёлкин", 1980), trainer);
  const std::string boris_enrolment = create("/api/v1/cohorts/" + cohort + "/enrolments",
                                             R"({"participant_id":)" + boris + "}", trainer);
  const std::size_t people_before = participantCount();

  const auto response =
      batch(R"({"rows":[)" + person("Дана Серікқызы", 1995) + "," + person("Борис Ёлкин", 1980) +
                "," + person("Әлия Нұрланқызы", 1990) + "," +
                person("Әлия Нұрланқызы", 1990, R"(,"confirm_new":true)") + "," +
                person("Ақбота Ерланқызы", 1800) + "," +
                R"({"full_name":"Мария Ким","gender":"female","birth_year":"1990"})" + "," +
                person("Сәуле Маратқызы", 1988, R"(,"nickname":"Сәуле")") + "," + "42" + "]}",
            trainer);
  ASSERT_EQ(response.result(), Status::ok) << response.body();
  const json::value body = json::parse(response.body());
  const json::array& results = body.at("results").as_array();
  ASSERT_EQ(results.size(), 8U) << response.body();
  for (std::size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].at("row").as_int64(), static_cast<std::int64_t>(i));
  }

  // A new person: registered and enrolled.
  EXPECT_EQ(results[0].at("status").as_string(), "enrolled");
  EXPECT_TRUE(results[0].at("participant_id").is_int64());
  EXPECT_TRUE(results[0].at("enrolment_id").is_int64());
  // Someone registered exactly so and in the cohort already: the row was sent before.
  EXPECT_EQ(results[1].at("status").as_string(), "already_enrolled");
  EXPECT_EQ(std::to_string(results[1].at("participant_id").as_int64()), boris);
  EXPECT_EQ(std::to_string(results[1].at("enrolment_id").as_int64()), boris_enrolment);
  // The same question POST /api/v1/participants asks with its 409, with the same candidates.
  EXPECT_EQ(results[2].at("status").as_string(), "duplicate");
  // Әлия was registered by an administrator: the trainer may not see her, so they get a
  // confirmation instead of her id.
  EXPECT_FALSE(results[2].at("candidates").at(0).as_object().contains("id"));
  EXPECT_TRUE(results[2].at("candidates").at(0).at("confirmation").is_string());
  EXPECT_EQ(results[2].at("candidates").at(0).at("full_name").as_string(), "Әлия Нұрланқызы");
  EXPECT_EQ(results[2].at("candidates").at(0).at("birth_year").as_int64(), 1990);
  EXPECT_FALSE(results[2].as_object().contains("participant_id"));
  // Confirmed as a new person: a second Әлия.
  EXPECT_EQ(results[3].at("status").as_string(), "enrolled");
  EXPECT_NE(std::to_string(results[3].at("participant_id").as_int64()), aliya);
  // Invalid rows name their fields.
  for (std::size_t i = 4; i < 8; ++i) {
    EXPECT_EQ(results[i].at("status").as_string(), "invalid") << i;
    EXPECT_FALSE(results[i].at("errors").as_array().empty()) << i;
    EXPECT_FALSE(results[i].as_object().contains("participant_id")) << i;
  }
  EXPECT_EQ(results[4].at("errors").at(0).at("field").as_string(), "birth_year");
  EXPECT_EQ(results[5].at("errors").at(0).at("field").as_string(), "birth_year");
  EXPECT_EQ(results[6].at("errors").at(0).at("field").as_string(), "nickname");
  EXPECT_EQ(results[7].at("errors").at(0).at("field").as_string(), "");

  EXPECT_EQ(body.at("enrolled").as_int64(), 2);
  EXPECT_EQ(body.at("failed").as_int64(), 5);
  // Boris was there; Dana and the second Әлия joined. Refused rows registered nobody.
  EXPECT_EQ(enrolmentCount(), 3U);
  EXPECT_EQ(participantCount(), people_before + 2);

  // The same rows again change nothing: the enrolled people are now already enrolled.
  const auto again = batch(R"({"rows":[)" + person("Дана Серікқызы", 1995) + "]}", trainer);
  ASSERT_EQ(again.result(), Status::ok) << again.body();
  const json::value repeated = json::parse(again.body());
  EXPECT_EQ(repeated.at("results").at(0).at("status").as_string(), "already_enrolled");
  EXPECT_EQ(repeated.at("results").at(0).at("participant_id"), results[0].at("participant_id"));
  EXPECT_EQ(repeated.at("enrolled").as_int64(), 0);
  EXPECT_EQ(repeated.at("failed").as_int64(), 0);
  EXPECT_EQ(enrolmentCount(), 3U);
}

TEST_F(EnrolmentBatchRoutesTest, ConfirmingAnExistingPersonEnrolsThem) {
  const std::string aliya = create("/api/v1/participants", person("Әлия Нұрланқызы", 1990), admin);
  // The trainer may not see Әлия: they confirm her with the confirmation a dry run showed them.
  const auto dry =
      batch(R"({"dry_run":true,"rows":[)" + person("Әлия Нұрланқызы", 1990) + "]}", trainer);
  ASSERT_EQ(dry.result(), Status::ok) << dry.body();
  const std::string same = "\"" +
                           std::string(json::parse(dry.body())
                                           .at("results").at(0).at("candidates").at(0)
                                           .at("confirmation").as_string()) +
                           "\"";
  const auto response = batch(
      R"({"rows":[)" + person("Әлия Нұрланқызы", 1990, R"(,"same_person":)" + same) + "," +
          person("Әлия Нұрланқызы", 1990, R"(,"same_person":)" + same + R"(,"confirm_new":true)") +
          "]}",
      trainer);
  ASSERT_EQ(response.result(), Status::ok) << response.body();
  const json::value body = json::parse(response.body());
  EXPECT_EQ(body.at("results").at(0).at("status").as_string(), "enrolled");
  EXPECT_EQ(std::to_string(body.at("results").at(0).at("participant_id").as_int64()), aliya);
  EXPECT_EQ(body.at("results").at(1).at("status").as_string(), "invalid");
  EXPECT_EQ(enrolmentCount(), 1U);
}

TEST_F(EnrolmentBatchRoutesTest, DryRunChecksEverythingAndWritesNothing) {
  const std::string aliya = create("/api/v1/participants", person("Әлия Нұрланқызы", 1990), admin);
  const std::size_t people_before = participantCount();
  const auto response = batch(R"({"dry_run":true,"rows":[)" + person("Дана Серікқызы", 1995) + "," +
                                  person("Әлия Нұрланқызы", 1990) + "," +
                                  person("Әлия Нұрланқызы", 1990, R"(,"confirm_new":true)") + "," +
                                  person("Ақбота Ерланқызы", 1800) + "]}",
                              trainer);
  ASSERT_EQ(response.result(), Status::ok) << response.body();
  const json::value body = json::parse(response.body());
  const json::array& results = body.at("results").as_array();
  ASSERT_EQ(results.size(), 4U);
  EXPECT_EQ(results[0].at("status").as_string(), "enrolled");
  EXPECT_FALSE(results[0].as_object().contains("participant_id"));
  EXPECT_FALSE(results[0].as_object().contains("enrolment_id"));
  EXPECT_EQ(results[1].at("status").as_string(), "duplicate");
  EXPECT_FALSE(results[1].at("candidates").at(0).as_object().contains("id"));
  EXPECT_TRUE(results[1].at("candidates").at(0).at("confirmation").is_string());
  EXPECT_EQ(results[2].at("status").as_string(), "enrolled");
  EXPECT_EQ(results[3].at("status").as_string(), "invalid");
  EXPECT_EQ(body.at("enrolled").as_int64(), 2);
  EXPECT_EQ(body.at("failed").as_int64(), 2);
  EXPECT_EQ(enrolmentCount(), 0U);
  EXPECT_EQ(participantCount(), people_before);
}

TEST_F(EnrolmentBatchRoutesTest, OnlyTheCohortsStaffMayImport) {
  const std::string rows = R"({"rows":[)" + person("Дана Серікқызы", 1995) + "]}";
  const auto other = batch(rows, other_trainer);
  EXPECT_EQ(other.result(), Status::not_found) << other.body();
  const std::string learner = tokenFor("learner1", courses::Role::learner);
  EXPECT_EQ(batch(rows, learner).result(), Status::forbidden);
  EXPECT_EQ(batch(rows, "").result(), Status::unauthorized);
  EXPECT_EQ(
      call(verb::post, "/api/v1/cohorts/424242/enrolments/batch", rows, "application/json", admin)
          .result(),
      Status::not_found);
  EXPECT_EQ(enrolmentCount(), 0U);
  // An administrator may import into any cohort.
  const auto by_admin = batch(rows, admin);
  ASSERT_EQ(by_admin.result(), Status::ok) << by_admin.body();
  EXPECT_EQ(json::parse(by_admin.body()).at("enrolled").as_int64(), 1);
}

TEST_F(EnrolmentBatchRoutesTest, TheBatchItselfMustBeWellFormed) {
  EXPECT_EQ(batch(R"({"rows":{}})", trainer).result(), Status::bad_request);
  EXPECT_EQ(batch(R"({})", trainer).result(), Status::bad_request);
  EXPECT_EQ(batch(R"({"rows":[],"dry_run":"yes"})", trainer).result(), Status::bad_request);
  EXPECT_EQ(batch(R"({"rows":[],"extra":1})", trainer).result(), Status::bad_request);
  EXPECT_EQ(batch(R"([])", trainer).result(), Status::bad_request);
  const auto empty = batch(R"({"rows":[]})", trainer);
  ASSERT_EQ(empty.result(), Status::ok) << empty.body();
  EXPECT_EQ(empty.body(), R"({"results":[],"enrolled":0,"failed":0})");

  // 500 rows at most, counted before any is registered.
  std::string rows = R"({"rows":[)";
  for (int i = 0; i < 501; ++i) rows += (i > 0 ? ",{}" : "{}");
  rows += "]}";
  const auto too_many = batch(rows, trainer);
  ASSERT_EQ(too_many.result(), Status::unprocessable_entity) << too_many.body();
  EXPECT_EQ(json::parse(too_many.body()).at("errors").at(0).at("field").as_string(), "rows");
  EXPECT_EQ(participantCount(), 0U);
}

TEST_F(EnrolmentBatchRoutesTest, ItsBodyMayHold500RowsOfLongNames) {
  std::uint64_t limit = 0;
  for (const http::Route& route : router_.routes()) {
    if (route.pattern == "/api/v1/cohorts/{id}/enrolments/batch") limit = route.body_limit;
  }
  // A row with a 100-letter Cyrillic name and every optional field is under 600 bytes.
  const std::string row = person(std::string(50, 'x') + " " + std::string(100, 'x'), 1990,
                                 R"(,"phone":"+77001234567","email":"someone@example.kz",)"
                                 R"("vulnerable":["disability","youth","single_parent"],)"
                                 R"("confirm_new":true)");
  EXPECT_LT(row.size() + 100, 600U);
  EXPECT_GE(limit, 500U * 600U);
  EXPECT_LE(limit, 4U * 1024U * 1024U);
}

}  // namespace
}  // namespace plugin::api
