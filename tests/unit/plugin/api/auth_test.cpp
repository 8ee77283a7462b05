#include "plugin/api/auth.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "courses/error.hpp"
#include "plugin/security/passwords.hpp"
#include "plugin/security/secrets.hpp"
#include "support/fakes.hpp"
#include "support/memory_store.hpp"

namespace plugin::api {
namespace {

using courses::ErrorCode;

class ManualClock final : public courses::Clock {
 public:
  courses::Timestamp now() const override { return now_; }
  void set(courses::Timestamp now) { now_ = std::move(now); }

 private:
  courses::Timestamp now_ = "2026-03-01T09:00:00Z";
};

constexpr const char* kPassword = "correct horse battery";
/// The address every sign-in of these tests comes from.
const std::string kClient = "10.0.0.9";
constexpr const char* kCheapHash =
    "$argon2id$v=19$m=8,t=1,p=1$5OmZOBPteW+FoLmlgFL38Q$nsJOzxEf3j1tQmulLj8CWZ+xgSKGoXSNnyn45CdRmW0";

class AuthTest : public ::testing::Test {
 protected:
  AuthTest()
      : repos_(store_.repositories()),
        accounts_(repos_, clock_, hasher_, secrets_),
        auth_(accounts_, repos_.accounts, clock_) {
    courses::Account account;
    account.login = "trainer1";
    account.role = courses::Role::trainer;
    trainer_ = repos_.accounts.create(account, passwordHash());
  }

  /// kPassword hashed with argon2id at libsodium's minimum cost (8 KiB, 1 pass): verifying honours
  /// the parameters stored in the hash, so these tests stay fast while the code under test is the
  /// production code.
  static const std::string& passwordHash() {
    static const std::string hash = kCheapHash;
    return hash;
  }

  /// The error a login throws, or a default-constructed marker when it succeeds.
  courses::Error loginError(std::string_view login, std::string_view password) {
    try {
      auth_.login(login, password, kClient);
    } catch (const courses::Error& error) {
      return error;
    }
    return courses::Error(ErrorCode::internal, "no error");
  }

  support::MemoryStore store_;
  courses::Repositories repos_;
  ManualClock clock_;
  security::Argon2idHasher hasher_;
  security::SodiumAccessCodeSecrets secrets_;
  courses::AccountService accounts_;
  Auth auth_;
  courses::Account trainer_;
};

TEST_F(AuthTest, LoginIssuesTokenThatAuthenticates) {
  const auto result = auth_.login("trainer1", kPassword, kClient);
  EXPECT_EQ(result.token.size(), 43u);  // 32 bytes in base64url without padding
  EXPECT_EQ(result.expires_at, "2026-03-01T21:00:00Z");
  EXPECT_EQ(result.account.id, trainer_.id);

  const auto actor = auth_.authenticate(result.token);
  ASSERT_TRUE(actor.has_value());
  EXPECT_EQ(actor->account_id, trainer_.id);
  EXPECT_EQ(actor->role, courses::Role::trainer);
}

TEST_F(AuthTest, TwoLoginsGetDifferentTokens) {
  EXPECT_NE(auth_.login("trainer1", kPassword, kClient).token, auth_.login("trainer1", kPassword, kClient).token);
}

TEST_F(AuthTest, UnknownLoginAndWrongPasswordAnswerAlike) {
  const courses::Error unknown = loginError("nobody", kPassword);
  const courses::Error wrong = loginError("trainer1", "wrong password!");
  EXPECT_EQ(unknown.code(), ErrorCode::unauthenticated);
  EXPECT_EQ(wrong.code(), ErrorCode::unauthenticated);
  EXPECT_STREQ(unknown.what(), wrong.what());
}

TEST_F(AuthTest, DisabledAccountAnswersLikeWrongPassword) {
  repos_.accounts.setDisabled(trainer_.id, true);
  const courses::Error disabled = loginError("trainer1", kPassword);
  EXPECT_EQ(disabled.code(), ErrorCode::unauthenticated);
  EXPECT_STREQ(disabled.what(), loginError("nobody", kPassword).what());
}

TEST_F(AuthTest, FiveFailuresLockTheAccount) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(loginError("trainer1", "wrong password!").code(), ErrorCode::unauthenticated) << i;
  }
  const courses::Error locked = loginError("trainer1", kPassword);
  EXPECT_EQ(locked.code(), ErrorCode::too_many_requests);
  EXPECT_GT(locked.retry_after_seconds, 0);
  EXPECT_LE(locked.retry_after_seconds, 15 * 60);

  clock_.set("2026-03-01T09:14:59Z");
  EXPECT_EQ(loginError("trainer1", kPassword).code(), ErrorCode::too_many_requests);
  clock_.set("2026-03-01T09:15:01Z");
  EXPECT_NO_THROW(auth_.login("trainer1", kPassword, kClient));
}

TEST_F(AuthTest, ExpiredLockGivesAFreshSetOfAttempts) {
  for (int i = 0; i < 5; ++i) loginError("trainer1", "wrong password!");
  clock_.set("2026-03-01T09:20:00Z");
  EXPECT_EQ(loginError("trainer1", "wrong password!").code(), ErrorCode::unauthenticated);
  EXPECT_NO_THROW(auth_.login("trainer1", kPassword, kClient));
}

TEST_F(AuthTest, SuccessResetsFailures) {
  for (int i = 0; i < 4; ++i) loginError("trainer1", "wrong password!");
  EXPECT_NO_THROW(auth_.login("trainer1", kPassword, kClient));
  for (int i = 0; i < 4; ++i) loginError("trainer1", "wrong password!");
  EXPECT_NO_THROW(auth_.login("trainer1", kPassword, kClient));
}

TEST_F(AuthTest, UnknownLoginFailuresLockNothing) {
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(loginError("nobody", "wrong password!").code(), ErrorCode::unauthenticated);
  }
}

TEST_F(AuthTest, OversizedInputIsRefusedLikeAnyBadLogin) {
  EXPECT_EQ(loginError(std::string(300, 'a'), kPassword).code(), ErrorCode::unauthenticated);
  EXPECT_EQ(loginError("trainer1", std::string(2000, 'a')).code(), ErrorCode::unauthenticated);
  EXPECT_EQ(loginError("", kPassword).code(), ErrorCode::unauthenticated);
}

TEST_F(AuthTest, LogoutRevokesTheToken) {
  const auto result = auth_.login("trainer1", kPassword, kClient);
  ASSERT_TRUE(auth_.authenticate(result.token));  // now cached
  auth_.logout(result.token);
  EXPECT_FALSE(auth_.authenticate(result.token));
}

TEST_F(AuthTest, ExpiredTokenDoesNotAuthenticate) {
  const auto result = auth_.login("trainer1", kPassword, kClient);
  clock_.set("2026-03-01T21:00:00Z");
  EXPECT_FALSE(auth_.authenticate(result.token));
}

TEST_F(AuthTest, MalformedAndUnknownTokensDoNotAuthenticate) {
  const auto result = auth_.login("trainer1", kPassword, kClient);
  EXPECT_FALSE(auth_.authenticate(""));
  EXPECT_FALSE(auth_.authenticate(result.token + "A"));
  std::string altered = result.token;
  altered[0] = altered[0] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(auth_.authenticate(altered));
  std::string bad_alphabet = result.token;
  bad_alphabet[5] = '+';
  EXPECT_FALSE(auth_.authenticate(bad_alphabet));
}

TEST_F(AuthTest, CsrfTokensAreDerivedFromTheSessionAndComparedExactly) {
  const auto one = auth_.login("trainer1", kPassword, kClient);
  const auto two = auth_.login("trainer1", kPassword, kClient);
  const std::string csrf = auth_.csrfToken(one.token);
  EXPECT_EQ(csrf.size(), 43u);                  // BLAKE2b-256 in base64url without padding
  EXPECT_EQ(csrf, auth_.csrfToken(one.token));  // derived, so nothing is stored
  EXPECT_NE(csrf, auth_.csrfToken(two.token));
  EXPECT_NE(csrf, one.token);
  EXPECT_TRUE(auth_.csrfMatches(one.token, csrf));
  EXPECT_FALSE(auth_.csrfMatches(two.token, csrf));
  EXPECT_FALSE(auth_.csrfMatches(one.token, ""));
  EXPECT_FALSE(auth_.csrfMatches(one.token, csrf.substr(0, 42)));
  EXPECT_FALSE(auth_.csrfMatches(one.token, csrf + "A"));
  std::string flipped = csrf;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(auth_.csrfMatches(one.token, flipped));
  // Short or odd "session tokens" still get a token, never one of a real session.
  EXPECT_EQ(auth_.csrfToken("").size(), 43u);
  EXPECT_NE(auth_.csrfToken("x"), csrf);
}

TEST_F(AuthTest, SessionCookieSettingsFollowTheConfig) {
  EXPECT_EQ(auth_.tokenLifetime(), std::chrono::hours{12});
  EXPECT_FALSE(auth_.secureCookies());
  AuthConfig config;
  config.token_ttl_hours = 2;
  config.secure_cookies = true;
  const Auth secure(accounts_, repos_.accounts, clock_, config);
  EXPECT_EQ(secure.tokenLifetime(), std::chrono::hours{2});
  EXPECT_TRUE(secure.secureCookies());
}

TEST_F(AuthTest, DisablingEndsTheAccountsSessionsAtOnce) {
  const support::FakeGlyphCoverage coverage;
  courses::Account admin_account;
  admin_account.login = "admin1";
  admin_account.role = courses::Role::admin;
  admin_account = repos_.accounts.create(admin_account, passwordHash());
  const courses::Actor admin{admin_account.id, courses::Role::admin, std::nullopt};
  const auto session = auth_.login("trainer1", kPassword, kClient);
  ASSERT_TRUE(auth_.authenticate(session.token));  // now cached
  courses::AccountEdit disable;
  disable.disabled = true;
  EXPECT_TRUE(accounts_.update(admin, trainer_.id, disable, coverage).disabled);
  EXPECT_FALSE(auth_.authenticate(session.token));
  courses::AccountEdit enable;
  enable.disabled = false;
  EXPECT_FALSE(accounts_.update(admin, trainer_.id, enable, coverage).disabled);
  // The old session stays ended; signing in again works.
  EXPECT_FALSE(auth_.authenticate(session.token));
  EXPECT_TRUE(auth_.authenticate(auth_.login("trainer1", kPassword, kClient).token));
}

TEST_F(AuthTest, StoresOnlyAHashOfTheToken) {
  // The token the client holds never equals anything storage could hand back; a lookup by the
  // raw token as if it were the stored hash finds nothing.
  const auto result = auth_.login("trainer1", kPassword, kClient);
  EXPECT_FALSE(repos_.accounts.findByToken(result.token, clock_.now()).has_value());
}

}  // namespace
}  // namespace plugin::api

namespace plugin::api {
namespace {

class AccessCodeAuthTest : public AuthTest {
 protected:
  AccessCodeAuthTest() : participants_(repos_, clock_, coverage_) {
    courses::Locality region;
    region.kind = courses::LocalityKind::region;
    region.name = {"Нұра", "Нура", "Nura"};
    const courses::Id locality = repos_.localities.create(region).id;
    courses::Participant person;
    person.full_name = "Ұлжан Һадиева";
    person.demographics.birth_year = 1990;
    person.demographics.locality_id = locality;
    person.consent = true;
    courses::ParticipantService::Registration registration;
    registration.person = person;
    person_ = participants_.registerPerson(admin_, registration).participant;
  }

  courses::Error codeError(std::string_view code, const std::string& address = "10.0.0.1") {
    try {
      auth_.loginWithCode(code, address);
    } catch (const courses::Error& error) {
      return error;
    }
    return courses::Error(ErrorCode::internal, "no error");
  }

  const courses::Actor admin_{99, courses::Role::admin, std::nullopt};
  support::FakeGlyphCoverage coverage_;
  courses::ParticipantService participants_;
  courses::Participant person_;
};

TEST_F(AccessCodeAuthTest, CreatesTheLearnerAccountOnceAndCodesExpireAfterSevenDays) {
  const auto first = accounts_.issueAccessCode(admin_, person_.id);
  EXPECT_EQ(first.login, "learner-" + std::to_string(person_.id));
  EXPECT_EQ(first.expires_at, "2026-03-08T09:00:00Z");
  const auto account = repos_.accounts.findByParticipant(person_.id);
  ASSERT_TRUE(account);
  EXPECT_EQ(account->display_name, "Ұлжан Һадиева");
  EXPECT_EQ(account->role, courses::Role::learner);

  // A new code replaces the old one and reuses the account.
  const auto second = accounts_.issueAccessCode(admin_, person_.id);
  EXPECT_EQ(second.login, first.login);
  EXPECT_EQ(codeError(first.code).code(), ErrorCode::unauthenticated);

  clock_.set("2026-03-08T09:00:01Z");
  EXPECT_EQ(codeError(second.code).code(), ErrorCode::unauthenticated);
}

TEST_F(AccessCodeAuthTest, ACodeResetsThePasswordAndLearnersCannotIssueCodes) {
  const auto code = accounts_.issueAccessCode(admin_, person_.id);
  const auto signed_in = auth_.loginWithCode(code.code, "10.0.0.1");
  const courses::Actor learner{signed_in.account.id, courses::Role::learner, person_.id};
  accounts_.setOwnPassword(learner, "first long password", std::nullopt, kClient, "");
  EXPECT_NO_THROW(auth_.login(code.login, "first long password", kClient));

  const auto again = accounts_.issueAccessCode(admin_, person_.id);
  auth_.loginWithCode(again.code, "10.0.0.1");
  EXPECT_EQ(loginError(code.login, "first long password").code(), ErrorCode::unauthenticated);
  // After the reset no current password is asked for.
  EXPECT_NO_THROW(
      accounts_.setOwnPassword(learner, "second long password", std::nullopt, kClient, ""));

  try {
    accounts_.issueAccessCode(learner, person_.id);
    ADD_FAILURE() << "a learner issued a code";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::forbidden);
  }
}

TEST_F(AccessCodeAuthTest, WrongCurrentPasswordsCountTowardsTheLock) {
  const courses::Actor trainer{trainer_.id, courses::Role::trainer, std::nullopt};
  for (int i = 0; i < 5; ++i) {
    try {
      accounts_.setOwnPassword(trainer, "a brand new password", std::string("wrong"), kClient, "");
      ADD_FAILURE() << "a wrong current password was accepted";
    } catch (const courses::Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::invalid_argument);
      ASSERT_EQ(error.fields().size(), 1u);
      EXPECT_EQ(error.fields()[0].field, "current_password");
    }
  }
  EXPECT_EQ(loginError("trainer1", kPassword).code(), ErrorCode::too_many_requests);
}

TEST_F(AccessCodeAuthTest, FiveWrongCodesLockTheAddressForFifteenMinutes) {
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(codeError("AAAAA-AAAAA").code(), ErrorCode::unauthenticated);
  const courses::Error locked = codeError("AAAAA-AAAAA");
  EXPECT_EQ(locked.code(), ErrorCode::too_many_requests);
  EXPECT_EQ(locked.retry_after_seconds, 900);
  EXPECT_EQ(codeError("not a code at all", "10.0.0.2").code(), ErrorCode::unauthenticated);
}


}  // namespace
}  // namespace plugin::api
