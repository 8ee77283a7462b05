#include "plugin/http/problem.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace plugin::http {
namespace {

TEST(ProblemTest, BuildsAnRfc9457Body) {
  const Response response =
      problem(beast_http::status::not_found, "not-found", "Not found", "No cohort 7.");
  EXPECT_EQ(response.result(), beast_http::status::not_found);
  EXPECT_EQ(response[beast_http::field::content_type], "application/problem+json");
  EXPECT_EQ(response[beast_http::field::content_length], std::to_string(response.body().size()));
  EXPECT_TRUE(response.keep_alive());
  const auto body = boost::json::parse(response.body()).as_object();
  EXPECT_EQ(body.at("type").as_string(), "https://qatysu.kz/problems/not-found");
  EXPECT_EQ(body.at("title").as_string(), "Not found");
  EXPECT_EQ(body.at("status").to_number<int>(), 404);
  EXPECT_EQ(body.at("detail").as_string(), "No cohort 7.");
  EXPECT_EQ(body.size(), 4U);
}

TEST(ProblemTest, AddsExtraMembersButKeepsTheStandardOnes) {
  boost::json::object extra;
  extra["errors"] =
      boost::json::array{boost::json::object{{"field", "full_name"}, {"message", "too long"}}};
  extra["status"] = 200;  // must not override
  const Response response = problem(beast_http::status::unprocessable_entity, "invalid-field",
                                    "Invalid field", "See errors.", extra);
  const auto body = boost::json::parse(response.body()).as_object();
  EXPECT_EQ(body.at("status").to_number<int>(), 422);
  ASSERT_TRUE(body.contains("errors"));
  EXPECT_EQ(body.at("errors").as_array().at(0).as_object().at("field").as_string(), "full_name");
}

TEST(ProblemTest, EscapesTextAndHonoursVersionAndConnection) {
  const Response response = problem(beast_http::status::bad_request, "invalid-request", "Bad",
                                    "quote \" and \xd2\x9b", {}, 10, false);
  EXPECT_EQ(response.version(), 10U);
  EXPECT_FALSE(response.keep_alive());
  const auto body = boost::json::parse(response.body()).as_object();
  EXPECT_EQ(body.at("detail").as_string(), "quote \" and \xd2\x9b");
}

}  // namespace
}  // namespace plugin::http
