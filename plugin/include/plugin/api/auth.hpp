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

namespace plugin::api {

/// Token lifetime and the per-account login rate limit.
struct AuthConfig {
  int token_ttl_hours = 12;
  int max_failures = 5;  ///< failed logins in a row that lock the account
  int lock_minutes = 15;
};

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

 private:
  struct CachedActor {
    courses::Actor actor;
    std::chrono::steady_clock::time_point valid_until;
  };

  std::optional<courses::Actor> cached(const std::string& token_hash);
  void remember(const std::string& token_hash, const courses::Actor& actor);
  void forget(const std::string& token_hash);

  courses::AccountRepository& accounts_;
  const courses::Clock& clock_;
  AuthConfig config_;

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
