// Accounts, credentials, login throttling and tokens.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "courses/error.hpp"
#include "fixtures.hpp"

namespace {

using namespace integration;

/// What an administrator's code for an account with a password carries (the operator's: actor 0).
const std::optional<courses::AccountEvent> kReset =
    courses::AccountEvent{"password_reset_code", 0, "2030-01-01T00:00:00Z"};

TEST(AccountRepository, CreatesAndFindsByIdAndLogin) {
  auto repo = repos();
  const auto locality = makeLocality();
  const auto trainer = makeAccount();
  const auto person = makeParticipant(locality.id, trainer.id);
  courses::Account account;
  account.login = unique("Learner.");
  account.role = courses::Role::learner;
  account.participant_id = person.id;
  const auto created = repo.accounts.create(account, "$argon2id$v=19$hash");
  EXPECT_GT(created.id, 0);
  EXPECT_EQ(created.created_at.size(), 20u);

  const auto found = repo.accounts.find(created.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->login, account.login);
  EXPECT_EQ(found->role, courses::Role::learner);
  EXPECT_EQ(found->participant_id, person.id);
  EXPECT_FALSE(found->disabled);
  EXPECT_EQ(found->created_at, created.created_at);
  EXPECT_FALSE(repo.accounts.find(created.id + 1000000));

  const auto credentials = repo.accounts.findByLogin(account.login);
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->account.id, created.id);
  EXPECT_EQ(credentials->password_hash, "$argon2id$v=19$hash");
  EXPECT_FALSE(repo.accounts.findByLogin(unique("nobody")));
}

TEST(AccountRepository, LoginsAreUniqueIgnoringCase) {
  auto repo = repos();
  courses::Account account;
  account.login = unique("Admin");
  account.role = courses::Role::admin;
  repo.accounts.create(account, "h");
  for (auto& c : account.login) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  try {
    repo.accounts.create(account, "h");
    FAIL() << "second account with the same login";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::conflict);
    EXPECT_STREQ(error.what(), "an account with this login already exists");
  }
}

TEST(AccountRepository, PasswordAndDisabling) {
  auto repo = repos();
  const auto account = makeAccount();
  repo.accounts.setPassword(account.id, "new-hash");
  EXPECT_EQ(repo.accounts.findByLogin(account.login)->password_hash, "new-hash");
  repo.accounts.setPassword(account.id, "new-hash");  // unchanged value is still found
  repo.accounts.setDisabled(account.id, true);
  EXPECT_TRUE(repo.accounts.find(account.id)->disabled);
  repo.accounts.setDisabled(account.id, false);
  EXPECT_FALSE(repo.accounts.find(account.id)->disabled);
  try {
    repo.accounts.setPassword(account.id + 1000000, "x");
    FAIL();
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::not_found);
  }
  EXPECT_THROW(repo.accounts.setDisabled(account.id + 1000000, true), courses::Error);
}

TEST(AccountRepository, FailedLoginsLockOneClientAtTheLimit) {
  auto repo = repos();
  const auto account = makeAccount();
  const std::string now = "2030-01-01T10:00:00Z";
  const std::string until = "2030-01-01T10:15:00Z";
  for (int i = 1; i <= 5; ++i) {
    EXPECT_FALSE(repo.accounts.reserveLoginAttempt(account.id, "203.0.113.9", 5, now, until)) << i;
  }
  EXPECT_EQ(repo.accounts.reserveLoginAttempt(account.id, "203.0.113.9", 5, now, until), until);
  // Another client of the same login is not locked out.
  EXPECT_FALSE(repo.accounts.reserveLoginAttempt(account.id, "198.51.100.2", 5, now, until));
  // The lock runs out: a fresh set of attempts.
  EXPECT_FALSE(repo.accounts.reserveLoginAttempt(account.id, "203.0.113.9", 5,
                                                 "2030-01-01T10:15:00Z", "2030-01-01T10:30:00Z"));
  for (int i = 2; i <= 5; ++i) {
    repo.accounts.reserveLoginAttempt(account.id, "203.0.113.9", 5, "2030-01-01T10:15:00Z",
                                      "2030-01-01T10:30:00Z");
  }
  EXPECT_TRUE(repo.accounts.reserveLoginAttempt(account.id, "203.0.113.9", 5,
                                                "2030-01-01T10:15:00Z", "2030-01-01T10:30:00Z"));
  repo.accounts.clearLoginAttempts(account.id, std::string("203.0.113.9"));
  EXPECT_FALSE(repo.accounts.reserveLoginAttempt(account.id, "203.0.113.9", 5, now, until));

  // A new password forgets every client's failures.
  for (int i = 0; i < 5; ++i) repo.accounts.reserveLoginAttempt(account.id, "198.51.100.2", 5, now, until);
  courses::AccountChange change;
  change.password_hash = "$argon2id$new";
  repo.accounts.update(account.id, change);
  EXPECT_FALSE(repo.accounts.reserveLoginAttempt(account.id, "198.51.100.2", 5, now, until));
}

TEST(AccountRepository, ParallelAttemptsOfOneClientAreReservedAtMostTheLimit) {
  const auto account = makeAccount();
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 60; ++i) {
    threads.emplace_back([&] {
      if (!repos().accounts.reserveLoginAttempt(account.id, "203.0.113.9", 5,
                                                "2030-01-01T10:00:00Z", "2030-01-01T10:15:00Z")) {
        ++allowed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 5);
}

TEST(AccountRepository, TokensFindTheirAccountUntilTheyExpire) {
  auto repo = repos();
  const auto account = makeAccount();
  const std::string hash(64, 'a');
  std::string binary_hash(32, '\0');
  for (std::size_t i = 0; i < binary_hash.size(); ++i) binary_hash[i] = static_cast<char>(i * 7);
  const std::string tail = unique("");
  const std::string token = hash.substr(0, 64 - tail.size()) + tail;
  repo.accounts.storeToken(token, account.id, "2030-01-01T00:00:00Z");
  repo.accounts.storeToken(binary_hash + tail, account.id, "2030-01-01T00:00:00Z");

  auto found = repo.accounts.findByToken(token, "2029-12-31T23:59:59Z");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, account.id);
  EXPECT_EQ(found->login, account.login);
  EXPECT_TRUE(repo.accounts.findByToken(binary_hash + tail, "2029-12-31T23:59:59Z"));
  EXPECT_FALSE(repo.accounts.findByToken(token, "2030-01-01T00:00:00Z")) << "expired";
  EXPECT_FALSE(repo.accounts.findByToken(std::string(64, 'b'), "2029-01-01T00:00:00Z"));

  repo.accounts.setDisabled(account.id, true);
  EXPECT_FALSE(repo.accounts.findByToken(token, "2029-12-31T23:59:59Z")) << "disabled";
  repo.accounts.setDisabled(account.id, false);

  const auto other = makeAccount();
  const std::string other_token = unique("token-");
  repo.accounts.storeToken(other_token, other.id, "2030-01-01T00:00:00Z");
  EXPECT_TRUE(repo.accounts.findByToken(other_token, "2029-01-01T00:00:00Z"));
  repo.accounts.deleteToken(other_token);
  EXPECT_FALSE(repo.accounts.findByToken(other_token, "2029-01-01T00:00:00Z"));
  repo.accounts.deleteToken(other_token);  // twice is fine
}

courses::Account makeLearner(std::string display_name = "Әсел Қанатқызы") {
  const auto trainer = makeAccount();
  const auto person = makeParticipant(makeLocality().id, trainer.id);
  courses::Account account;
  account.login = "learner-" + std::to_string(person.id);
  account.display_name = std::move(display_name);
  account.role = courses::Role::learner;
  account.participant_id = person.id;
  return repos().accounts.create(account, "$argon2id$old-password");
}

// A 32-byte hash with NUL and high bytes, unique in this run.
std::string codeHash() {
  std::string hash(32, '\0');
  for (std::size_t i = 0; i < hash.size(); ++i) hash[i] = static_cast<char>(0xF0 + i);
  const std::string tail = unique("");
  hash.replace(hash.size() - tail.size(), tail.size(), tail);
  return hash;
}

TEST(AccountRepository, DisplayNameIsStoredAndRead) {
  auto repo = repos();
  const auto learner = makeLearner("Ерлан Сейтқали-О'Брайен");
  EXPECT_EQ(repo.accounts.find(learner.id)->display_name, "Ерлан Сейтқали-О'Брайен");
  EXPECT_EQ(repo.accounts.findByLogin(learner.login)->account.display_name,
            "Ерлан Сейтқали-О'Брайен");
  const std::string token = unique("display-token-");
  repo.accounts.storeToken(token, learner.id, "2030-01-01T00:00:00Z");
  EXPECT_EQ(repo.accounts.findByToken(token, "2029-01-01T00:00:00Z")->display_name,
            "Ерлан Сейтқали-О'Брайен");
  EXPECT_EQ(repo.accounts.find(makeAccount().id)->display_name, "");
}

TEST(AccountRepository, FindsTheLearnerAccountOfAPerson) {
  auto repo = repos();
  const auto learner = makeLearner();
  const auto found = repo.accounts.findByParticipant(*learner.participant_id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, learner.id);
  EXPECT_EQ(found->display_name, "Әсел Қанатқызы");
  EXPECT_FALSE(repo.accounts.findByParticipant(*learner.participant_id + 1000000));

  // A person has one learner account at most.
  courses::Account second = learner;
  second.login = unique("second-learner-");
  try {
    repo.accounts.create(second, "h");
    FAIL() << "a second learner account for the same person";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::conflict);
    EXPECT_STREQ(error.what(), "this person already has a learner account");
  }
}

TEST(AccountRepository, AnAccessCodeWorksOnceAndClearsThePassword) {
  auto repo = repos();
  const auto learner = makeLearner();
  const std::string hash = codeHash();
  repo.accounts.storeAccessCode(learner.id, hash, "2030-01-08T00:00:00Z", kReset);
  const std::string earlier_token = codeHash();
  repo.accounts.storeToken(earlier_token, learner.id, "2030-01-02T00:00:00Z");
  EXPECT_FALSE(repo.accounts.redeemAccessCode(codeHash(), "2030-01-01T00:00:00Z"));
  EXPECT_EQ(repo.accounts.findByLogin(learner.login)->password_hash, "$argon2id$old-password")
      << "a wrong code changes nothing";

  const auto redeemed = repo.accounts.redeemAccessCode(hash, "2030-01-01T00:00:00Z");
  ASSERT_TRUE(redeemed);
  EXPECT_EQ(redeemed->id, learner.id);
  EXPECT_EQ(redeemed->login, learner.login);
  EXPECT_EQ(redeemed->participant_id, learner.participant_id);
  EXPECT_EQ(repo.accounts.findByLogin(learner.login)->password_hash, "");
  EXPECT_FALSE(repo.accounts.findByToken(earlier_token, "2030-01-01T00:00:00Z"))
      << "a reset ends the sessions opened before it";
  EXPECT_FALSE(repo.accounts.redeemAccessCode(hash, "2030-01-01T00:00:00Z")) << "used twice";
}

TEST(AccountRepository, ExpiredReplacedAndDisabledCodesAreRefused) {
  auto repo = repos();
  const auto learner = makeLearner();
  const std::string old_hash = codeHash();
  const std::string new_hash = codeHash();
  repo.accounts.storeAccessCode(learner.id, old_hash, "2030-01-08T00:00:00Z", kReset);
  repo.accounts.storeAccessCode(learner.id, new_hash, "2030-01-08T00:00:00Z", kReset);
  EXPECT_FALSE(repo.accounts.redeemAccessCode(old_hash, "2030-01-01T00:00:00Z"))
      << "a new code replaces the old one";
  EXPECT_FALSE(repo.accounts.redeemAccessCode(new_hash, "2030-01-08T00:00:00Z")) << "expired";
  EXPECT_FALSE(repo.accounts.redeemAccessCode(new_hash, "2031-01-01T00:00:00Z")) << "expired";

  repo.accounts.setDisabled(learner.id, true);
  EXPECT_FALSE(repo.accounts.redeemAccessCode(new_hash, "2030-01-01T00:00:00Z")) << "disabled";
  EXPECT_EQ(repo.accounts.findByLogin(learner.login)->password_hash, "$argon2id$old-password");
  repo.accounts.setDisabled(learner.id, false);
  EXPECT_TRUE(repo.accounts.redeemAccessCode(new_hash, "2030-01-07T23:59:59Z"));

  try {
    repo.accounts.storeAccessCode(learner.id + 1000000, codeHash(), "2030-01-08T00:00:00Z",
                                  std::nullopt);
    FAIL() << "a code for an unknown account";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::not_found);
  }
}

TEST(AccountRepository, ConcurrentRedemptionsOfOneCodeSucceedOnce) {
  const auto learner = makeLearner();
  const std::string hash = codeHash();
  repos().accounts.storeAccessCode(learner.id, hash, "2030-01-08T00:00:00Z", kReset);
  std::atomic<int> successes{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      if (repos().accounts.redeemAccessCode(hash, "2030-01-01T00:00:00Z")) ++successes;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(successes.load(), 1);
}

TEST(AccountRepository, ANewPasswordCanKeepTheSessionThatSetIt) {
  auto repo = repos();
  const auto account = makeAccount();
  const std::string kept = codeHash();
  const std::string other = codeHash();
  repo.accounts.storeToken(kept, account.id, "2030-01-02T00:00:00Z");
  repo.accounts.storeToken(other, account.id, "2030-01-02T00:00:00Z");
  courses::AccountChange change;
  change.password_hash = "$argon2id$new";
  change.keep_token_hash = kept;
  repo.accounts.update(account.id, change);
  EXPECT_TRUE(repo.accounts.findByToken(kept, "2030-01-01T00:00:00Z"));
  EXPECT_FALSE(repo.accounts.findByToken(other, "2030-01-01T00:00:00Z"));
}

TEST(AccountRepository, OnlyAResetCodeOpensAnAccountWithAPasswordAndItIsAudited) {
  auto repo = repos();
  const auto learner = makeLearner();  // has a password
  const std::string plain = codeHash();
  repo.accounts.storeAccessCode(learner.id, plain, "2030-01-08T00:00:00Z", std::nullopt);
  EXPECT_FALSE(repo.accounts.redeemAccessCode(plain, "2030-01-01T00:00:00Z"));
  EXPECT_EQ(repo.accounts.findByLogin(learner.login)->password_hash, "$argon2id$old-password");
  EXPECT_TRUE(repo.accounts.audit(learner.id).empty());

  const auto admin = makeAccount(courses::Role::admin);
  const std::string session = codeHash();
  repo.accounts.storeToken(session, learner.id, "2030-01-02T00:00:00Z");
  const std::string reset = codeHash();
  repo.accounts.storeAccessCode(
      learner.id, reset, "2030-01-08T00:00:00Z",
      courses::AccountEvent{"password_reset_code", admin.id, "2030-01-01T09:00:00Z"});
  EXPECT_FALSE(repo.accounts.findByToken(session, "2030-01-01T10:00:00Z"))
      << "a reset ends the account's sessions when it is issued";
  const auto audit = repo.accounts.audit(learner.id);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "password_reset_code");
  EXPECT_EQ(audit[0].actor_id, admin.id);
  EXPECT_EQ(audit[0].at, "2030-01-01T09:00:00Z");
  EXPECT_TRUE(repo.accounts.redeemAccessCode(reset, "2030-01-01T10:00:00Z"));
  EXPECT_EQ(repo.accounts.findByLogin(learner.login)->password_hash, "");

  // Without a password, any code opens the account.
  const std::string fresh = codeHash();
  repo.accounts.storeAccessCode(learner.id, fresh, "2030-01-08T00:00:00Z", std::nullopt);
  EXPECT_TRUE(repo.accounts.redeemAccessCode(fresh, "2030-01-01T10:00:00Z"));
}

}  // namespace

namespace {

using namespace integration;

TEST(AccountRepository, LanguageHasItsOwnColumnAndStartsEmpty) {
  EXPECT_EQ(database().queryInt("SELECT COUNT(*) FROM information_schema.columns"
                                " WHERE table_schema = DATABASE() AND table_name = 'accounts'"
                                " AND column_name = 'language' AND is_nullable = 'YES'"),
            1);
  auto repo = repos();
  const auto account = makeAccount();
  EXPECT_FALSE(repo.accounts.find(account.id)->language);
  for (const auto language :
       {courses::Language::kk, courses::Language::ru, courses::Language::en}) {
    repo.accounts.setLanguage(account.id, language);
    EXPECT_EQ(repo.accounts.find(account.id)->language, language);
    EXPECT_EQ(repo.accounts.findByLogin(account.login)->account.language, language);
  }
  repo.accounts.storeToken("language-token-" + std::to_string(account.id), account.id,
                           "2099-01-01T00:00:00Z");
  EXPECT_EQ(repo.accounts
                .findByToken("language-token-" + std::to_string(account.id), "2026-01-01T00:00:00Z")
                ->language,
            courses::Language::en);
  // Storage refuses what the domain never sends.
  EXPECT_ANY_THROW(database().execute("UPDATE accounts SET language = 'de' WHERE id = " +
                                      std::to_string(account.id)));
  EXPECT_EQ(repo.accounts.find(account.id)->language, courses::Language::en);
  try {
    repo.accounts.setLanguage(account.id + 1000000, courses::Language::kk);
    FAIL() << "an unknown account got a language";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::not_found);
  }
}

TEST(AccountRepository, ListsPageInIdOrderAndFilterByRole) {
  auto repo = repos();
  // Other tests share the database: list from just before this test's accounts.
  const auto first = makeAccount(courses::Role::trainer);
  const auto admin = makeAccount(courses::Role::admin);
  const auto second = makeAccount(courses::Role::trainer);
  const auto third = makeAccount(courses::Role::trainer);
  const courses::Id before = first.id - 1;

  const auto page = repo.accounts.list(courses::Role::trainer, {before, 2});
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].id, first.id);
  EXPECT_EQ(page.items[1].id, second.id);
  ASSERT_TRUE(page.next_after);
  EXPECT_EQ(*page.next_after, second.id);
  const auto rest = repo.accounts.list(courses::Role::trainer, {*page.next_after, 2});
  ASSERT_FALSE(rest.items.empty());
  EXPECT_EQ(rest.items[0].id, third.id);

  const auto everyone = repo.accounts.list(std::nullopt, {before, 4});
  ASSERT_EQ(everyone.items.size(), 4u);
  EXPECT_EQ(everyone.items[1].id, admin.id);
  EXPECT_EQ(everyone.items[1].role, courses::Role::admin);
  EXPECT_EQ(everyone.items[1].login, admin.login);
  const auto admins = repo.accounts.list(courses::Role::admin, {before, 10});
  ASSERT_FALSE(admins.items.empty());
  EXPECT_EQ(admins.items[0].id, admin.id);
  for (const auto& account : admins.items) EXPECT_EQ(account.role, courses::Role::admin);
}

TEST(AccountRepository, UpdateChangesOnlyWhatItNamesAndDisablingEndsSessions) {
  auto repo = repos();
  const auto account = makeAccount();
  const std::string token = "update-token-" + std::to_string(account.id);
  repo.accounts.storeToken(token, account.id, "2099-01-01T00:00:00Z");

  courses::AccountChange rename;
  rename.display_name = "Сәуле Жұмабаева";
  const auto renamed = repo.accounts.update(account.id, rename);
  EXPECT_EQ(renamed.display_name, "Сәуле Жұмабаева");
  EXPECT_FALSE(renamed.disabled);
  EXPECT_TRUE(repo.accounts.findByToken(token, "2026-01-01T00:00:00Z")) << "a rename keeps sessions";
  const std::string old_hash = repo.accounts.findByLogin(account.login)->password_hash;

  courses::AccountChange reset;
  reset.password_hash = "$argon2id$v=19$another";
  repo.accounts.update(account.id, reset);
  EXPECT_EQ(repo.accounts.findByLogin(account.login)->password_hash, "$argon2id$v=19$another");
  EXPECT_NE(old_hash, "$argon2id$v=19$another");
  EXPECT_EQ(repo.accounts.find(account.id)->display_name, "Сәуле Жұмабаева");
  // A new password ends the sessions opened with the old one; a rename did not.
  EXPECT_FALSE(repo.accounts.findByToken(token, "2026-01-01T00:00:00Z"));
  repo.accounts.storeToken(token, account.id, "2099-01-01T00:00:00Z");
  EXPECT_TRUE(repo.accounts.findByToken(token, "2026-01-01T00:00:00Z"));

  courses::AccountChange disable;
  disable.disabled = true;
  EXPECT_TRUE(repo.accounts.update(account.id, disable).disabled);
  EXPECT_EQ(database().queryInt("SELECT COUNT(*) FROM auth_tokens WHERE account_id = " +
                                std::to_string(account.id)),
            0);
  courses::AccountChange enable;
  enable.disabled = false;
  EXPECT_FALSE(repo.accounts.update(account.id, enable).disabled);
  EXPECT_FALSE(repo.accounts.findByToken(token, "2026-01-01T00:00:00Z"));

  try {
    repo.accounts.update(account.id + 1000000, rename);
    FAIL() << "an unknown account was updated";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::not_found);
  }
}

}  // namespace
