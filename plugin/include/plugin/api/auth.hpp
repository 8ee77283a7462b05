#pragma once
// Sign-in and bearer tokens. Tokens are 256-bit random values handed to the client in base64url;
// storage keeps only their BLAKE2b-256 hash, so a leaked table does not leak sessions.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "courses/model.hpp"
#include "courses/repositories.hpp"
#include "courses/services.hpp"
#include "plugin/api/rate_limit.hpp"

namespace plugin::api {

/// Token lifetime and the per-account login rate limit.
struct AuthConfig {
  int token_ttl_hours = 12;
  int max_failures = 5;  ///< failed logins in a row that lock the account (or, for access
                         ///< codes, the client address)
  int lock_minutes = 15;
  int access_code_ttl_days = 7;
  std::size_t tracked_addresses = 10000;  ///< client addresses the code sign-in limit remembers
  /// Session cookies carry the Secure attribute (config `http.secure_cookies`). The service
  /// speaks plain HTTP itself: behind a proxy that terminates TLS this must be on.
  bool secure_cookies = false;
};

/// Checks a new account's login: 2–64 characters of a-z, 0-9, '.', '_' and '-', starting with
/// a letter or digit. Throws courses::Error(invalid_argument) naming the field "login".
void validateLogin(std::string_view login);

/// Error(forbidden) unless the actor is an administrator: only they manage accounts.
void requireAccountAdmin(const courses::Actor& actor);

/// A staff account an administrator creates (POST /api/v1/accounts).
struct StaffAccount {
  std::string login;
  std::string display_name;
  courses::Role role = courses::Role::trainer;  ///< admin or trainer
  std::string password;
};

/// What an administrator changes on an account (PATCH /api/v1/accounts/{id}); empty members
/// stay as they are.
struct AccountEdit {
  std::optional<std::string> display_name;
  std::optional<bool> disabled;
  std::optional<std::string> password;
};

/// Learner access codes: 10 characters of Crockford base32 (digits and letters without I, L, O,
/// U), shown as "XXXXX-XXXXX".
inline constexpr std::size_t kAccessCodeLength = 10;

/// The 10 canonical characters of a typed access code: case-insensitive, hyphens and spaces
/// ignored, and the look-alikes Crockford base32 allows read as digits (O as 0, I and L as 1).
/// nullopt when it cannot be a code.
std::optional<std::string> normalizeAccessCode(std::string_view typed);

/// "XXXXX-XXXXX" for the 10 canonical characters.
std::string formatAccessCode(std::string_view code);

/// Logs accounts in and out and resolves bearer tokens to actors. Thread-safe.
class Auth {
 public:
  Auth(courses::AccountRepository& accounts, const courses::Clock& clock, AuthConfig config = {});

  struct LoginResult {
    std::string token;  ///< base64url, no padding; shown to the client once
    courses::Timestamp expires_at;
    courses::Account account;
  };

  /// Checks a login and password and issues a token. An unknown login, a wrong password and a
  /// disabled account all throw the same Error(unauthenticated); a locked account throws
  /// Error(too_many_requests) with retry_after_seconds set.
  LoginResult login(std::string_view login, std::string_view password);

  /// The actor behind a token, or nullopt when it is malformed, unknown, expired or its account
  /// is disabled. Positive answers are cached in memory for a few seconds.
  std::optional<courses::Actor> authenticate(std::string_view bearer_token);

  /// Revokes a token (unknown tokens are ignored).
  void logout(std::string_view bearer_token);

  /// How long a new token lives (a session cookie's Max-Age).
  std::chrono::seconds tokenLifetime() const noexcept;
  /// Whether session cookies carry the Secure attribute.
  bool secureCookies() const noexcept { return config_.secure_cookies; }

  /// The CSRF token of a cookie session: base64url of BLAKE2b keyed with the session token over
  /// a fixed context, so nothing new is stored and it cannot be turned back into the token.
  std::string csrfToken(std::string_view session_token) const;
  /// True when `presented` is the CSRF token of `session_token` (compared in constant time).
  bool csrfMatches(std::string_view session_token, std::string_view presented) const;

  /// Stores the language the actor chose for the web app.
  void setLanguage(const courses::Actor& actor, courses::Language language);

  /// Accounts in id order, of one role when given. Admins only (else Error(forbidden)).
  courses::Page<courses::Account> listAccounts(const courses::Actor& actor,
                                               std::optional<courses::Role> role,
                                               courses::PageRequest page);

  /// One account. Admins only (else Error(forbidden)); an unknown id is Error(not_found).
  courses::Account findAccount(const courses::Actor& actor, courses::Id id);

  /// Creates an admin or trainer account with the `qatysu user add` rules: validateLogin, a
  /// clean display name the certificate fonts can draw (`coverage`), validatePassword. Admins
  /// only (else Error(forbidden)); a taken login is Error(conflict).
  courses::Account createStaffAccount(const courses::Actor& actor, const StaffAccount& request,
                                      const courses::GlyphCoverage& coverage);

  /// Renames, disables or enables an account, or sets its password. Admins only (else
  /// Error(forbidden)); an unknown id is Error(not_found); an admin disabling their own account
  /// is Error(conflict). Disabling ends the account's sessions: its tokens are deleted and this
  /// process forgets them at once (other processes within kTokenCacheTtl).
  courses::Account updateAccount(const courses::Actor& actor, courses::Id id,
                                 const AccountEdit& edit, const courses::GlyphCoverage& coverage);

  struct AccessCode {
    std::string login;  ///< the learner account's login
    std::string code;   ///< "XXXXX-XXXXX", shown once
    courses::Timestamp expires_at;
  };

  /// Gives a person a one-time access code to their learner account, creating the account
  /// ("learner-<participant id>", display name = the person's name, no password) when they have
  /// none; an earlier code stops working. Admins, and trainers who may see the person (else
  /// Error(not_found)); learners get Error(forbidden).
  AccessCode issueAccessCode(const courses::Actor& actor, courses::ParticipantService& participants,
                             courses::Id participant_id);

  /// Signs in with an access code and clears the account's password (a code is a reset). A wrong,
  /// used or expired code throws Error(unauthenticated); after max_failures of them from one
  /// client address within lock_minutes, that address gets Error(too_many_requests) for
  /// lock_minutes.
  LoginResult loginWithCode(std::string_view code, const std::string& client_address);

  /// Sets the actor's own password (validatePassword rules). When the account has a password,
  /// `current_password` must match it: missing or wrong is Error(invalid_argument) naming
  /// "current_password", and wrong ones count towards the account's login lock.
  void setOwnPassword(const courses::Actor& actor, std::string_view password,
                      const std::optional<std::string>& current_password);

 private:
  struct CachedActor {
    courses::Actor actor;
    std::chrono::steady_clock::time_point valid_until;
  };

  LoginResult issueToken(const courses::Account& account, const courses::Timestamp& now);
  std::optional<courses::Actor> cached(const std::string& token_hash);
  void remember(const std::string& token_hash, const courses::Actor& actor);
  void forget(const std::string& token_hash);
  void forgetAccount(courses::Id account_id);

  courses::AccountRepository& accounts_;
  const courses::Clock& clock_;
  AuthConfig config_;
  RateLimiter code_failures_;

  std::mutex cache_mutex_;
  std::unordered_map<std::string, CachedActor> cache_;
};

/// Maximum age of a cached token lookup.
inline constexpr std::chrono::seconds kTokenCacheTtl{5};
/// Maximum number of cached token lookups.
inline constexpr std::size_t kTokenCacheCapacity = 10000;

/// "YYYY-MM-DDTHH:MM:SSZ" shifted by `delta`. Throws courses::Error(internal) on a malformed
/// timestamp.
courses::Timestamp addSeconds(const courses::Timestamp& timestamp, std::chrono::seconds delta);

/// Whole seconds from `from` to `to` (negative when `to` is earlier).
long long secondsBetween(const courses::Timestamp& from, const courses::Timestamp& to);

}  // namespace plugin::api
