// Accounts nobody can take over, through the whole routing table over in-memory repositories: a
// trainer cannot learn another trainer's people from duplicate checks, link them unseen, or sign in
// as a learner who has set a password; password changes end other sessions; wrong passwords from
// one client lock out only that client.

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <string>
#include <thread>
#include <vector>

#include "routes_fixture.hpp"

namespace plugin::api {
namespace {

/// kPassword hashed with argon2id at 4 MiB and 2 passes: slow enough (milliseconds) that parallel
/// attempts overlap while their password is verified.
constexpr const char* kSlowHash =
    "$argon2id$v=19$m=4096,t=2,p=1$DgXf+WpANSSEc+IDMZgUuQ$kiOL7gQB5lReWHrqCev3YdvAypafiuPRe/"
    "3S3yNIzD0";

class AccountSafetyRoutesTest : public CatalogueRoutesTest {
 protected:
  AccountSafetyRoutesTest() {
    admin = adminToken();
    attacker = tokenFor("trainer.b", courses::Role::trainer);
    createCatalogue(admin);
    attacker_cohort = cohortOf(attacker);

    // The victim: registered by an administrator, signed in once with a code, and has since set a
    // password of their own.
    victim = create("/api/v1/participants", person("Әлия Нұрланқызы", 1990), admin);
    victim_login = "learner-" + victim;
    victim_token = redeem(issueCode(victim, admin));
    EXPECT_EQ(setPassword(victim_token, R"({"password":"victim's own password"})"),
              Status::no_content);
  }

  http::Response batch(const std::string& cohort, const std::string& rows, bool dry_run,
                       const std::string& token) {
    return call(verb::post, "/api/v1/cohorts/" + cohort + "/enrolments/batch",
                R"({"rows":[)" + rows + R"(],"dry_run":)" + (dry_run ? "true" : "false") + "}",
                "application/json", token);
  }

  http::Response codeFor(const std::string& participant, const std::string& token) {
    return call(verb::post, "/api/v1/participants/" + participant + "/access-code", "{}",
                "application/json", token);
  }

  /// A code for `participant` (expects 201).
  std::string issueCode(const std::string& participant, const std::string& token) {
    const auto response = codeFor(participant, token);
    EXPECT_EQ(response.result(), Status::created) << response.body();
    if (response.result() != Status::created) return {};
    return std::string(json::parse(response.body()).at("code").as_string());
  }

  http::Response signInWithCode(const std::string& code) {
    return call(verb::post, "/api/v1/auth/code", R"({"code":")" + code + "\"}");
  }

  /// The token a code signs in with (expects 200).
  std::string redeem(const std::string& code) {
    const auto response = signInWithCode(code);
    EXPECT_EQ(response.result(), Status::ok) << response.body();
    if (response.result() != Status::ok) return {};
    return std::string(json::parse(response.body()).at("token").as_string());
  }

  Status setPassword(const std::string& token, const std::string& body) {
    return call(verb::put, "/api/v1/me/password", body, "application/json", token).result();
  }

  Status me(const std::string& token) {
    return call(verb::get, "/api/v1/me", {}, {}, token).result();
  }

  http::Response login(const std::string& login, const std::string& password,
                       const std::string& client) {
    return call(verb::post, "/api/v1/auth/login",
                R"({"login":")" + login + R"(","password":")" + password + "\"}",
                "application/json", {}, {}, client);
  }

  std::string admin, attacker, attacker_cohort;
  std::string victim, victim_login, victim_token;
};

TEST_F(AccountSafetyRoutesTest, ADuplicateRowNeverLeadsATrainerIntoSomeoneElsesAccount) {
  // The dry run tells the trainer someone is registered so, but not who.
  const auto dry = batch(attacker_cohort, person("Әлия Нұрланқызы", 1990), true, attacker);
  ASSERT_EQ(dry.result(), Status::ok) << dry.body();
  const json::value row = json::parse(dry.body()).at("results").at(0);
  ASSERT_EQ(row.at("status").as_string(), "duplicate") << dry.body();
  const json::object& candidate = row.at("candidates").at(0).as_object();
  EXPECT_FALSE(candidate.contains("id")) << dry.body();
  EXPECT_EQ(candidate.at("full_name").as_string(), "Әлия Нұрланқызы");
  EXPECT_EQ(candidate.at("birth_year").as_int64(), 1990);
  EXPECT_TRUE(candidate.contains("confirmation")) << dry.body();
  const std::string confirmation = candidate.contains("confirmation")
                                       ? std::string(candidate.at("confirmation").as_string())
                                       : std::string();

  // A guessed id of someone they cannot see confirms nobody.
  const auto guessed =
      batch(attacker_cohort, person("Әлия Нұрланқызы", 1990, R"(,"same_person":)" + victim), false,
            attacker);
  ASSERT_EQ(guessed.result(), Status::ok) << guessed.body();
  EXPECT_EQ(json::parse(guessed.body()).at("results").at(0).at("status").as_string(), "invalid")
      << guessed.body();
  const auto taken = codeFor(victim, attacker);
  EXPECT_EQ(taken.result(), Status::not_found) << taken.body();
  if (taken.result() == Status::created) {
    // What the code would do: sign in as the learner and clear the password they set.
    const std::string code(json::parse(taken.body()).at("code").as_string());
    EXPECT_NE(signInWithCode(code).result(), Status::ok);
    EXPECT_EQ(login(victim_login, "victim's own password", "10.0.0.5").result(), Status::ok);
  }

  // The confirmation the trainer was shown links the person to their cohort...
  ASSERT_FALSE(confirmation.empty());
  const auto linked = batch(
      attacker_cohort, person("Әлия Нұрланқызы", 1990, R"(,"same_person":")" + confirmation + "\""),
      false, attacker);
  ASSERT_EQ(linked.result(), Status::ok) << linked.body();
  EXPECT_EQ(json::parse(linked.body()).at("results").at(0).at("status").as_string(), "enrolled")
      << linked.body();

  // ...but gives no way into the account its holder secured with a password.
  const auto code = codeFor(victim, attacker);
  EXPECT_EQ(code.result(), Status::conflict) << code.body();
  EXPECT_EQ(me(victim_token), Status::ok);
  EXPECT_EQ(login(victim_login, "victim's own password", "10.0.0.5").result(), Status::ok);

  // An administrator sees who linked the person to which cohort.
  const auto links = call(verb::get, "/api/v1/participants/" + victim + "/links", {}, {}, admin);
  ASSERT_EQ(links.result(), Status::ok) << links.body();
  const json::value listed = json::parse(links.body());
  const json::array& items = listed.at("items").as_array();
  ASSERT_EQ(items.size(), 1U) << links.body();
  EXPECT_EQ(std::to_string(items[0].at("cohort_id").as_int64()), attacker_cohort);
  EXPECT_TRUE(items[0].at("account_id").is_int64());
  EXPECT_FALSE(items[0].at("linked_at").as_string().empty());
  EXPECT_EQ(call(verb::get, "/api/v1/participants/" + victim + "/links", {}, {}, attacker).result(),
            Status::forbidden);
}

TEST_F(AccountSafetyRoutesTest, ARegistrationConflictShowsATrainerNoIdOfPeopleTheyCannotSee) {
  const auto conflict = call(verb::post, "/api/v1/participants", person("Әлия Нұрланқызы", 1990),
                             "application/json", attacker);
  ASSERT_EQ(conflict.result(), Status::conflict) << conflict.body();
  const json::value problem = json::parse(conflict.body());
  const json::object& candidate = problem.at("candidates").at(0).as_object();
  EXPECT_FALSE(candidate.contains("id")) << conflict.body();
  EXPECT_TRUE(candidate.contains("confirmation")) << conflict.body();
  // An administrator sees every id.
  const auto for_admin = call(verb::post, "/api/v1/participants", person("Әлия Нұрланқызы", 1990),
                              "application/json", admin);
  ASSERT_EQ(for_admin.result(), Status::conflict) << for_admin.body();
  EXPECT_EQ(
      std::to_string(json::parse(for_admin.body()).at("candidates").at(0).at("id").as_int64()),
      victim);
}

TEST_F(AccountSafetyRoutesTest, TrainersGiveCodesOnlyToTheirCohortsPeopleWithoutAPassword) {
  // Registered by the trainer, but in none of their cohorts.
  const std::string dana = create("/api/v1/participants", person("Дана Серікқызы", 1995), attacker);
  const auto not_theirs = codeFor(dana, attacker);
  EXPECT_EQ(not_theirs.result(), Status::forbidden) << not_theirs.body();
  create("/api/v1/cohorts/" + attacker_cohort + "/enrolments", R"({"participant_id":)" + dana + "}",
         attacker);
  const std::string first = issueCode(dana, attacker);

  // A code given before the holder set a password no longer opens the account afterwards.
  const auto signed_in = signInWithCode(first);
  ASSERT_EQ(signed_in.result(), Status::ok) << signed_in.body();
  const std::string account =
      std::to_string(json::parse(signed_in.body()).at("account").at("id").as_int64());
  const std::string pending = issueCode(dana, attacker);
  ASSERT_EQ(call(verb::patch, "/api/v1/accounts/" + account, R"({"password":"set by the admin 1"})",
                 "application/json", admin)
                .result(),
            Status::ok);
  EXPECT_EQ(signInWithCode(pending).result(), Status::unauthorized);
  EXPECT_EQ(codeFor(dana, attacker).result(), Status::conflict);
}

TEST_F(AccountSafetyRoutesTest, AnAdministratorsCodeResetsASecuredAccountAndEndsItsSessions) {
  const std::string code = issueCode(victim, admin);
  // The reset starts now: whoever holds a session of the account loses it at once.
  EXPECT_EQ(me(victim_token), Status::unauthorized);
  const std::string fresh = redeem(code);
  EXPECT_EQ(me(fresh), Status::ok);
}

TEST_F(AccountSafetyRoutesTest, ChangingOnesOwnPasswordEndsEveryOtherSession) {
  const auto other = login(victim_login, "victim's own password", "10.0.0.5");
  ASSERT_EQ(other.result(), Status::ok) << other.body();
  const std::string other_token(json::parse(other.body()).at("token").as_string());
  ASSERT_EQ(me(other_token), Status::ok);  // now cached as well
  ASSERT_EQ(setPassword(victim_token, R"({"password":"a newer long password",)"
                                      R"("current_password":"victim's own password"})"),
            Status::no_content);
  EXPECT_EQ(me(other_token), Status::unauthorized);
  EXPECT_EQ(me(victim_token), Status::ok);
}

TEST_F(AccountSafetyRoutesTest, WrongPasswordsLockOnlyTheClientThatSentThem) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(login("admin", "not the password", "203.0.113.9").result(), Status::unauthorized);
  }
  EXPECT_EQ(login("admin", kPassword, "203.0.113.9").result(), Status::too_many_requests);
  // The holder, elsewhere, is not locked out.
  EXPECT_EQ(login("admin", kPassword, "198.51.100.2").result(), Status::ok);
}

TEST_F(AccountSafetyRoutesTest, ParallelWrongPasswordsAreCheckedAtMostFiveTimes) {
  courses::Account slow;
  slow.login = "slow.admin";
  slow.role = courses::Role::admin;
  repos_.accounts.create(slow, kSlowHash);
  std::atomic<int> checked{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 60; ++i) {
    threads.emplace_back([&] {
      const auto status = login("slow.admin", "not the password", "203.0.113.9").result();
      if (status == Status::unauthorized) ++checked;
      if (status == Status::too_many_requests) ++refused;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_LE(checked.load(), 5);
  EXPECT_EQ(checked.load() + refused.load(), 60);
}

TEST_F(AccountSafetyRoutesTest, DryRunsAreLimitedPerTrainer) {
  // Each row of a dry run is a guess at who is registered: a full import's worth of them is fine,
  // an endless stream is not.
  std::string rows = person("Дана Серікқызы", 1995);
  for (int i = 1; i < 100; ++i) rows += "," + person("Дана Серікқызы", 1900 + i);
  http::Response last;
  int allowed = 0;
  for (int i = 0; i < 60; ++i) {
    last = batch(attacker_cohort, rows, true, attacker);
    if (last.result() != Status::ok) break;
    ++allowed;
  }
  EXPECT_EQ(last.result(), Status::too_many_requests) << last.body();
  EXPECT_GE(allowed, 5);
  EXPECT_EQ(last[http::beast_http::field::content_type], "application/problem+json");
  EXPECT_FALSE(last[http::beast_http::field::retry_after].empty());
  // Another trainer still may.
  const std::string other = tokenFor("trainer.c", courses::Role::trainer);
  EXPECT_EQ(batch(cohortOf(other), person("Дана Серікқызы", 1995), true, other).result(),
            Status::ok);
}

}  // namespace
}  // namespace plugin::api
