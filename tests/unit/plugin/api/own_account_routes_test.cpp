// A learner's own account through the routing table: after an access code, the login suggested
// from their name, choosing it, setting a password and signing in with both; staff and strangers
// are refused, bad input is problem+json.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "routes_fixture.hpp"

namespace plugin::api {
namespace {

class OwnAccountRoutesTest : public RoutesTest {
 protected:
  /// A person registered by the admin, signed in with their first access code: the bearer token.
  std::string learnerWithCode(const std::string& full_name) {
    const std::string admin = adminToken();
    const std::string locality =
        create("/api/v1/localities",
               R"({"kind":"region","name":{"kk":"Облыс","ru":"Область","en":"Region"}})", admin);
    const std::string person =
        create("/api/v1/participants",
               R"({"full_name":")" + full_name +
                   R"(","gender":"female","birth_year":1990,)"
                   R"("locality_id":)" +
                   locality + R"(,"affiliation":"community_member","consent":true})",
               admin);
    const auto issued = call(verb::post, "/api/v1/participants/" + person + "/access-code", {},
                             "application/json", admin);
    EXPECT_EQ(issued.result(), Status::created) << issued.body();
    const std::string code(json::parse(issued.body()).at("code").as_string());
    const auto signed_in = call(verb::post, "/api/v1/auth/code", R"({"code":")" + code + "\"}");
    EXPECT_EQ(signed_in.result(), Status::ok) << signed_in.body();
    return std::string(json::parse(signed_in.body()).at("token").as_string());
  }

  static std::string problemField(const http::Response& response) {
    const json::value body = json::parse(response.body());
    return std::string(body.at("errors").as_array().at(0).at("field").as_string());
  }
};

TEST_F(OwnAccountRoutesTest, ALearnerSetsTheSuggestedLoginAndAPasswordAndSignsInWithThem) {
  const std::string learner = learnerWithCode("Айгерім Жұмабекова");
  const json::value before = json::parse(call(verb::get, "/api/v1/me", {}, {}, learner).body());
  EXPECT_FALSE(before.at("account").at("has_password").as_bool());

  const auto suggestion = call(verb::get, "/api/v1/me/login-suggestion", {}, {}, learner);
  ASSERT_EQ(suggestion.result(), Status::ok) << suggestion.body();
  EXPECT_EQ(json::parse(suggestion.body()).at("login").as_string(), "aigerim.zhumabekova");

  const auto chosen = call(verb::put, "/api/v1/me/login", R"({"login":"aigerim.zhumabekova"})",
                           "application/json", learner);
  ASSERT_EQ(chosen.result(), Status::ok) << chosen.body();
  EXPECT_EQ(json::parse(chosen.body()).at("login").as_string(), "aigerim.zhumabekova");
  const auto password =
      call(verb::put, "/api/v1/me/password", R"({"password":"менің ұзын құпиясөзім"})",
           "application/json", learner);
  ASSERT_EQ(password.result(), Status::no_content) << password.body();

  const auto signed_in =
      call(verb::post, "/api/v1/auth/login",
           R"({"login":"aigerim.zhumabekova","password":"менің ұзын құпиясөзім"})");
  ASSERT_EQ(signed_in.result(), Status::ok) << signed_in.body();
  const json::value account = json::parse(signed_in.body()).at("account");
  EXPECT_EQ(account.at("role").as_string(), "learner");
  EXPECT_TRUE(account.at("has_password").as_bool());
}

TEST_F(OwnAccountRoutesTest, BadAndTakenLoginsAreProblemsNamingTheField) {
  const std::string learner = learnerWithCode("Дана Серікқызы");
  for (const char* body :
       {R"({"login":"Dana"})", R"({"login":"d"})", R"({"login":".dana"})", R"({"login":""})"}) {
    SCOPED_TRACE(body);
    const auto response = call(verb::put, "/api/v1/me/login", body, "application/json", learner);
    EXPECT_EQ(response.result(), Status::unprocessable_entity) << response.body();
    EXPECT_EQ(response[http::beast_http::field::content_type], "application/problem+json");
    EXPECT_EQ(problemField(response), "login");
  }
  const auto unknown_member =
      call(verb::put, "/api/v1/me/login", R"({"login":"dana","role":"admin"})", "application/json",
           learner);
  EXPECT_EQ(unknown_member[http::beast_http::field::content_type], "application/problem+json");
  EXPECT_NE(unknown_member.result(), Status::ok);
  const auto taken =
      call(verb::put, "/api/v1/me/login", R"({"login":"admin"})", "application/json", learner);
  EXPECT_EQ(taken.result(), Status::conflict) << taken.body();
  EXPECT_EQ(problemField(taken), "login");
  // Nothing changed: the admin still signs in, the learner keeps their login.
  adminToken();
  const json::value me = json::parse(call(verb::get, "/api/v1/me", {}, {}, learner).body());
  EXPECT_TRUE(std::string(me.at("account").at("login").as_string()).starts_with("learner-"));
}

TEST_F(OwnAccountRoutesTest, StaffAndStrangersCannotUseTheLearnersRoutes) {
  const std::string trainer = tokenFor("trainer.one", courses::Role::trainer);
  EXPECT_EQ(
      call(verb::put, "/api/v1/me/login", R"({"login":"trainer.two"})", "application/json", trainer)
          .result(),
      Status::forbidden);
  EXPECT_EQ(call(verb::get, "/api/v1/me/login-suggestion", {}, {}, trainer).result(),
            Status::forbidden);
  EXPECT_EQ(call(verb::get, "/api/v1/me/login-suggestion").result(), Status::unauthorized);
  EXPECT_EQ(call(verb::put, "/api/v1/me/login", R"({"login":"someone"})").result(),
            Status::unauthorized);
}

}  // namespace
}  // namespace plugin::api
