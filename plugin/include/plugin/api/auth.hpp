#pragma once
// Bearer tokens and sessions. Tokens are 256-bit random values handed to the client in base64url;
// storage keeps only their BLAKE2b-256 hash, so a leaked table does not leak sessions. Whose
// password or access code opens which account is the account service's rule
// (courses/account_service.hpp); this issues the token once it has said yes.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "courses/account_service.hpp"
#include "courses/model.hpp"
#include "courses/repositories.hpp"
#include "courses/services.hpp"
#include "plugin/api/rate_limit.hpp"

namespace plugin::api {

/// Token lifetime, the per-address limit on access codes, and cookies.
struct AuthConfig {
  int token_ttl_hours = 12;
  int max_failures = 5;  ///< wrong access codes from one client address that lock it out
  int lock_minutes = 15;
  std::size_t tracked_addresses = 10000;  ///< client addresses the code sign-in limit remembers
  /// Session cookies carry the Secure attribute (config `http.secure_cookies`). The service
  /// speaks plain HTTP itself: behind a proxy that terminates TLS this must be on.
  bool secure_cookies = false;
};

/// Signs accounts in and out and resolves bearer tokens to actors. Thread-safe. It watches
/// `accounts` for ended sessions (courses::SessionObserver) and forgets them at once.
class Auth final : public courses::SessionObserver {
 public:
  /// `tokens` stores the tokens; `accounts` decides whose credentials open which account.
  Auth(courses::AccountService& accounts, courses::AccountRepository& tokens,
       const courses::Clock& clock, AuthConfig config = {});
  ~Auth() override;
  Auth(const Auth&) = delete;
  Auth& operator=(const Auth&) = delete;

  struct LoginResult {
    std::string token;  ///< base64url, no padding; shown to the client once
    courses::Timestamp expires_at;
    courses::Account account;
  };

  /// courses::AccountService::signIn from `client_address`, then a token.
  LoginResult login(std::string_view login, std::string_view password,
                    const std::string& client_address);

  /// Signs in with an access code (courses::AccountService::redeemAccessCode). A wrong, used or
  /// expired code throws Error(unauthenticated); after max_failures of them from one client
  /// address within lock_minutes, that address gets Error(too_many_requests) for lock_minutes.
  LoginResult loginWithCode(std::string_view code, const std::string& client_address);

  /// A token for an account an LTI launch opened (courses::LtiLaunchService: the platform's
  /// signed launch vouched for the user). A disabled account throws Error(unauthenticated).
  LoginResult signInLaunched(const courses::Account& account);

  /// The actor behind a token, or nullopt when it is malformed, unknown, expired or its account
  /// is disabled. Positive answers are cached in memory for a few seconds.
  std::optional<courses::Actor> authenticate(std::string_view bearer_token);

  /// Revokes a token (unknown tokens are ignored).
  void logout(std::string_view bearer_token);

  /// What storage keeps of a token: names the session making a change that must survive it
  /// (courses::AccountService::setOwnPassword).
  std::string sessionKey(std::string_view token) const;

  /// How long a new token lives (a session cookie's Max-Age).
  std::chrono::seconds tokenLifetime() const noexcept;
  /// Whether session cookies carry the Secure attribute.
  bool secureCookies() const noexcept { return config_.secure_cookies; }

  /// The CSRF token of a cookie session: base64url of BLAKE2b keyed with the session token over
  /// a fixed context, so nothing new is stored and it cannot be turned back into the token.
  std::string csrfToken(std::string_view session_token) const;
  /// True when `presented` is the CSRF token of `session_token` (compared in constant time).
  bool csrfMatches(std::string_view session_token, std::string_view presented) const;

  /// Forgets the account's cached token lookups (its sessions ended in storage).
  void sessionsEnded(courses::Id account_id) override;

 private:
  struct CachedActor {
    courses::Actor actor;
    std::chrono::steady_clock::time_point valid_until;
  };

  LoginResult issueToken(const courses::Account& account);
  std::optional<courses::Actor> cached(const std::string& token_hash);
  void remember(const std::string& token_hash, const courses::Actor& actor);
  void forget(const std::string& token_hash);

  courses::AccountService& accounts_;
  courses::AccountRepository& tokens_;
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

}  // namespace plugin::api
