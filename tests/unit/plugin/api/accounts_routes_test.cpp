// Staff accounts through the routing table: administrators only.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "routes_fixture.hpp"

namespace plugin::api {
namespace {

constexpr const char* kNewPassword = "a long new password";

class AccountRoutesTest : public RoutesTest {
 protected:
  std::string createTrainer(const std::string& admin, const std::string& login) {
    return create("/api/v1/accounts",
                  R"({"login":")" + login +
                      R"(","display_name":"Әлия Нұрланқызы","role":"trainer","password":")" +
                      kNewPassword + "\"}",
                  admin);
  }
};

std::string firstErrorField(const http::Response& response) {
  const json::value body = json::parse(response.body());
  const auto* errors = body.as_object().if_contains("errors");
  if (errors == nullptr || errors->as_array().empty()) return {};
  return std::string(errors->as_array().at(0).at("field").as_string());
}

TEST_F(AccountRoutesTest, AdminsCreateTrainersAndAdminsWhoCanSignIn) {
  const std::string admin = adminToken();
  const std::string id = createTrainer(admin, "aliya");
  const auto got = call(verb::get, "/api/v1/accounts/" + id, {}, {}, admin);
  ASSERT_EQ(got.result(), Status::ok) << got.body();
  const json::value account = json::parse(got.body());
  EXPECT_EQ(account.at("login").as_string(), "aliya");
  EXPECT_EQ(account.at("display_name").as_string(), "Әлия Нұрланқызы");
  EXPECT_EQ(account.at("role").as_string(), "trainer");
  EXPECT_FALSE(account.at("disabled").as_bool());
  EXPECT_FALSE(account.as_object().contains("password"));
  EXPECT_FALSE(account.as_object().contains("password_hash"));
  const auto signed_in =
      call(verb::post, "/api/v1/auth/login",
           std::string(R"({"login":"aliya","password":")") + kNewPassword + "\"}");
  EXPECT_EQ(signed_in.result(), Status::ok) << signed_in.body();

  const auto second_admin = call(
      verb::post, "/api/v1/accounts",
      std::string(R"({"login":"boss2","display_name":"Boss Two","role":"admin","password":")") +
          kNewPassword + "\"}",
      "application/json", admin);
  EXPECT_EQ(second_admin.result(), Status::created) << second_admin.body();
  EXPECT_EQ(json::parse(second_admin.body()).at("role").as_string(), "admin");
}

TEST_F(AccountRoutesTest, CreationFollowsTheUserAddRules) {
  const std::string admin = adminToken();
  const auto post = [&](const std::string& body) {
    return call(verb::post, "/api/v1/accounts", body, "application/json", admin);
  };
  const std::string password = std::string(R"(,"password":")") + kNewPassword + "\"}";
  struct Case {
    std::string body;
    const char* field;
  };
  const Case cases[] = {
      {R"({"login":"Aliya","display_name":"A","role":"trainer")" + password, "login"},
      {R"({"login":"a","display_name":"A","role":"trainer")" + password, "login"},
      {R"({"login":"ok.login","display_name":"","role":"trainer")" + password, "display_name"},
      {R"({"login":"ok.login","display_name":"漢字","role":"trainer")" + password, "display_name"},
      {R"({"login":"ok.login","display_name":"A","role":"learner")" + password, "role"},
      {R"({"login":"ok.login","display_name":"A","role":"trainer","password":"short"})",
       "password"},
  };
  for (const Case& c : cases) {
    const auto response = post(c.body);
    EXPECT_EQ(response.result(), Status::unprocessable_entity) << c.body << response.body();
    EXPECT_EQ(firstErrorField(response), c.field) << c.body;
  }
  EXPECT_EQ(post(R"({"login":"ok.login"})").result(), Status::unprocessable_entity);
  EXPECT_EQ(post(R"({"login":"ok.login","extra":1})").result(), Status::bad_request);
  EXPECT_FALSE(repos_.accounts.findByLogin("ok.login"));

  createTrainer(admin, "taken");
  const auto taken =
      post(R"({"login":"taken","display_name":"Another","role":"trainer")" + password);
  EXPECT_EQ(taken.result(), Status::conflict) << taken.body();
}

TEST_F(AccountRoutesTest, ListsPageByIdAndFilterByRole) {
  const std::string admin = adminToken();
  createTrainer(admin, "t1");
  createTrainer(admin, "t2");
  createTrainer(admin, "t3");
  tokenFor("learner1", courses::Role::learner);

  const auto all = call(verb::get, "/api/v1/accounts", {}, {}, admin);
  ASSERT_EQ(all.result(), Status::ok) << all.body();
  EXPECT_EQ(json::parse(all.body()).at("items").as_array().size(), 5u);
  EXPECT_TRUE(json::parse(all.body()).at("next_after").is_null());

  const auto first = call(verb::get, "/api/v1/accounts?role=trainer&limit=2", {}, {}, admin);
  ASSERT_EQ(first.result(), Status::ok) << first.body();
  const json::value page = json::parse(first.body());
  ASSERT_EQ(page.at("items").as_array().size(), 2u);
  EXPECT_EQ(page.at("items").at(0).at("login").as_string(), "t1");
  EXPECT_EQ(page.at("items").at(1).at("login").as_string(), "t2");
  const std::string after = std::to_string(page.at("next_after").as_int64());
  const auto second =
      call(verb::get, "/api/v1/accounts?role=trainer&limit=2&after=" + after, {}, {}, admin);
  const json::value rest = json::parse(second.body());
  ASSERT_EQ(rest.at("items").as_array().size(), 1u);
  EXPECT_EQ(rest.at("items").at(0).at("login").as_string(), "t3");
  EXPECT_TRUE(rest.at("next_after").is_null());

  const auto learners = call(verb::get, "/api/v1/accounts?role=learner", {}, {}, admin);
  EXPECT_EQ(json::parse(learners.body()).at("items").as_array().size(), 1u);
  const auto admins = call(verb::get, "/api/v1/accounts?role=admin", {}, {}, admin);
  EXPECT_EQ(json::parse(admins.body()).at("items").at(0).at("login").as_string(), "admin");

  EXPECT_EQ(call(verb::get, "/api/v1/accounts?role=boss", {}, {}, admin).result(),
            Status::bad_request);
  EXPECT_EQ(call(verb::get, "/api/v1/accounts?limit=0", {}, {}, admin).result(),
            Status::unprocessable_entity);
  EXPECT_EQ(call(verb::get, "/api/v1/accounts").result(), Status::unauthorized);
}

TEST_F(AccountRoutesTest, PatchRenamesResetsAndDisablesAnotherAccount) {
  const std::string admin = adminToken();
  const std::string id = createTrainer(admin, "aliya");
  const auto session = call(verb::post, "/api/v1/auth/login",
                            std::string(R"({"login":"aliya","password":")") + kNewPassword + "\"}");
  const std::string trainer_token(json::parse(session.body()).at("token").as_string());
  ASSERT_EQ(call(verb::get, "/api/v1/me", {}, {}, trainer_token).result(), Status::ok);

  const auto renamed = call(verb::patch, "/api/v1/accounts/" + id,
                            R"({"display_name":"  Әлия   Серікқызы "})", "application/json", admin);
  ASSERT_EQ(renamed.result(), Status::ok) << renamed.body();
  EXPECT_EQ(json::parse(renamed.body()).at("display_name").as_string(), "Әлия Серікқызы");

  const auto reset =
      call(verb::patch, "/api/v1/accounts/" + id, R"({"password":"another long password"})",
           "application/merge-patch+json", admin);
  ASSERT_EQ(reset.result(), Status::ok) << reset.body();
  // The reset ends the session opened with the old password.
  EXPECT_EQ(call(verb::get, "/api/v1/me", {}, {}, trainer_token).result(), Status::unauthorized);
  const auto again = call(verb::post, "/api/v1/auth/login",
                          R"({"login":"aliya","password":"another long password"})");
  ASSERT_EQ(again.result(), Status::ok);
  const std::string new_token(json::parse(again.body()).at("token").as_string());
  ASSERT_EQ(call(verb::get, "/api/v1/me", {}, {}, new_token).result(), Status::ok);

  const auto disabled = call(verb::patch, "/api/v1/accounts/" + id, R"({"disabled":true})",
                             "application/json", admin);
  ASSERT_EQ(disabled.result(), Status::ok) << disabled.body();
  EXPECT_TRUE(json::parse(disabled.body()).at("disabled").as_bool());
  // Disabling ends the sessions it had and no new one starts.
  EXPECT_EQ(call(verb::get, "/api/v1/me", {}, {}, new_token).result(), Status::unauthorized);
  EXPECT_EQ(call(verb::post, "/api/v1/auth/login",
                 R"({"login":"aliya","password":"another long password"})")
                .result(),
            Status::unauthorized);
  const auto enabled = call(verb::patch, "/api/v1/accounts/" + id, R"({"disabled":false})",
                            "application/json", admin);
  EXPECT_FALSE(json::parse(enabled.body()).at("disabled").as_bool());

  for (const char* bad :
       {R"({"display_name":""})", R"({"password":"short"})", R"({"display_name":"😀"})"}) {
    EXPECT_EQ(call(verb::patch, "/api/v1/accounts/" + id, bad, "application/json", admin).result(),
              Status::unprocessable_entity)
        << bad;
  }
  EXPECT_EQ(
      call(verb::patch, "/api/v1/accounts/" + id, R"({"role":"admin"})", "application/json", admin)
          .result(),
      Status::bad_request);
  EXPECT_EQ(call(verb::patch, "/api/v1/accounts/" + id, R"({"disabled":"yes"})", "application/json",
                 admin)
                .result(),
            Status::bad_request);
}

TEST_F(AccountRoutesTest, AnAdminCannotDisableThemselvesButCanAnotherAdmin) {
  const std::string admin = adminToken();
  const std::string own_id = std::to_string(repos_.accounts.findByLogin("admin")->account.id);
  const auto self = call(verb::patch, "/api/v1/accounts/" + own_id, R"({"disabled":true})",
                         "application/json", admin);
  EXPECT_EQ(self.result(), Status::conflict) << self.body();
  EXPECT_FALSE(repos_.accounts.findByLogin("admin")->account.disabled);
  EXPECT_EQ(call(verb::get, "/api/v1/me", {}, {}, admin).result(), Status::ok);
  // Renaming oneself is fine.
  EXPECT_EQ(call(verb::patch, "/api/v1/accounts/" + own_id, R"({"display_name":"Chief"})",
                 "application/json", admin)
                .result(),
            Status::ok);

  const std::string other_admin = tokenFor("admin2", courses::Role::admin);
  const auto by_other = call(verb::patch, "/api/v1/accounts/" + own_id, R"({"disabled":true})",
                             "application/json", other_admin);
  EXPECT_EQ(by_other.result(), Status::ok) << by_other.body();
  EXPECT_EQ(call(verb::get, "/api/v1/me", {}, {}, admin).result(), Status::unauthorized);
}

TEST_F(AccountRoutesTest, UnknownAndMalformedIdsAreNotFound) {
  const std::string admin = adminToken();
  for (const char* id : {"999999", "0", "abc", "-1"}) {
    EXPECT_EQ(call(verb::get, std::string("/api/v1/accounts/") + id, {}, {}, admin).result(),
              Status::not_found)
        << id;
    EXPECT_EQ(call(verb::patch, std::string("/api/v1/accounts/") + id, R"({"display_name":"X"})",
                   "application/json", admin)
                  .result(),
              Status::not_found)
        << id;
  }
}

TEST_F(AccountRoutesTest, TrainersAndLearnersGet403OnEveryAccountsRoute) {
  const std::string admin = adminToken();
  const std::string colleague = createTrainer(admin, "colleague");
  const std::string admin_id = std::to_string(repos_.accounts.findByLogin("admin")->account.id);
  for (const auto& [login, role] : {std::pair{"trainer9", courses::Role::trainer},
                                    std::pair{"learner9", courses::Role::learner}}) {
    const std::string token = tokenFor(login, role);
    const std::string own_id = std::to_string(repos_.accounts.findByLogin(login)->account.id);
    EXPECT_EQ(call(verb::get, "/api/v1/accounts", {}, {}, token).result(), Status::forbidden);
    EXPECT_EQ(call(verb::get, "/api/v1/accounts?role=admin", {}, {}, token).result(),
              Status::forbidden);
    // Even a malformed body answers 403: nothing about the route is for them.
    EXPECT_EQ(
        call(verb::post, "/api/v1/accounts", R"({"nonsense":true})", "application/json", token)
            .result(),
        Status::forbidden);
    EXPECT_EQ(
        call(verb::post, "/api/v1/accounts",
             std::string(R"({"login":"mine","display_name":"Me","role":"admin","password":")") +
                 kNewPassword + "\"}",
             "application/json", token)
            .result(),
        Status::forbidden);
    for (const std::string& id : {colleague, admin_id, own_id, std::string("999999")}) {
      EXPECT_EQ(call(verb::get, "/api/v1/accounts/" + id, {}, {}, token).result(),
                Status::forbidden)
          << login << " GET " << id;
      EXPECT_EQ(call(verb::patch, "/api/v1/accounts/" + id, R"({"disabled":true})",
                     "application/json", token)
                    .result(),
                Status::forbidden)
          << login << " PATCH " << id;
    }
  }
  EXPECT_FALSE(repos_.accounts.findByLogin("mine"));
  EXPECT_FALSE(repos_.accounts.findByLogin("admin")->account.disabled);
  EXPECT_FALSE(repos_.accounts.find(std::stoll(colleague))->disabled);
}

}  // namespace
}  // namespace plugin::api
