#include "plugin/api/auth.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>

#include "courses/error.hpp"
#include "courses/text.hpp"
#include "plugin/security/secrets.hpp"

namespace plugin::api {

namespace {

constexpr std::size_t kTokenBytes = 32;
// base64url without padding of 32 bytes.
constexpr std::size_t kTokenChars = 43;

bool isWellFormedToken(std::string_view token) {
  if (token.size() != kTokenChars) return false;
  for (const char c : token) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

courses::Actor actorOf(const courses::Account& account) {
  return courses::Actor{account.id, account.role, account.participant_id};
}

// The message a session's CSRF token is the keyed hash of; changing it changes every CSRF token.
constexpr std::string_view kCsrfContext = "qatysu csrf token v1";

}  // namespace

Auth::Auth(courses::AccountService& accounts, courses::AccountRepository& tokens,
           const courses::Clock& clock, AuthConfig config)
    : accounts_(accounts),
      tokens_(tokens),
      clock_(clock),
      config_(config),
      code_failures_({config.max_failures, std::chrono::minutes{config.lock_minutes},
                      config.tracked_addresses}) {
  security::ensureSodium();
  accounts_.setSessionObserver(this);
}

Auth::~Auth() {
  accounts_.removeSessionObserver(this);
}

Auth::LoginResult Auth::login(std::string_view login, std::string_view password,
                              const std::string& client_address) {
  return issueToken(accounts_.signIn(login, password, client_address));
}

Auth::LoginResult Auth::signInLaunched(const courses::Account& account) {
  if (account.disabled) {
    throw courses::Error(courses::ErrorCode::unauthenticated, "the account is disabled");
  }
  return issueToken(account);
}

Auth::LoginResult Auth::issueToken(const courses::Account& account) {
  LoginResult result;
  result.token = security::randomToken(kTokenBytes);
  result.expires_at =
      courses::addSeconds(clock_.now(), std::chrono::seconds{tokenLifetime()}.count());
  result.account = account;
  tokens_.storeToken(sessionKey(result.token), account.id, result.expires_at);
  return result;
}

Auth::LoginResult Auth::loginWithCode(std::string_view code, const std::string& client_address) {
  if (const auto wait = code_failures_.retryAfter(client_address)) {
    courses::Error error(courses::ErrorCode::too_many_requests,
                         "too many wrong access codes from this address; try again later");
    error.retry_after_seconds = *wait;
    throw error;
  }
  std::optional<courses::Account> account;
  try {
    account = accounts_.redeemAccessCode(code);
  } catch (const courses::Error& error) {
    if (error.code() == courses::ErrorCode::unauthenticated) code_failures_.record(client_address);
    throw;
  }
  code_failures_.clear(client_address);
  return issueToken(*account);
}

std::optional<courses::Actor> Auth::authenticate(std::string_view bearer_token) {
  if (!isWellFormedToken(bearer_token)) return std::nullopt;
  const std::string token_hash = sessionKey(bearer_token);
  if (auto actor = cached(token_hash)) return actor;
  auto account = tokens_.findByToken(token_hash, clock_.now());
  if (!account || account->disabled) return std::nullopt;
  const courses::Actor actor = actorOf(*account);
  remember(token_hash, actor);
  return actor;
}

void Auth::logout(std::string_view bearer_token) {
  if (!isWellFormedToken(bearer_token)) return;
  const std::string token_hash = sessionKey(bearer_token);
  forget(token_hash);
  tokens_.deleteToken(token_hash);
}

std::string Auth::sessionKey(std::string_view token) const {
  return security::digestHex(token);
}

std::chrono::seconds Auth::tokenLifetime() const noexcept {
  return std::chrono::hours{config_.token_ttl_hours};
}

std::string Auth::csrfToken(std::string_view session_token) const {
  // crypto_generichash keys are 16..64 bytes; a well-formed session token is 43. Anything else
  // cannot be a session, but still gets a token that no real session has.
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  const std::size_t key_size = std::clamp<std::size_t>(
      session_token.size(), crypto_generichash_KEYBYTES_MIN, crypto_generichash_KEYBYTES_MAX);
  std::array<unsigned char, crypto_generichash_KEYBYTES_MAX> key{};
  std::copy_n(session_token.begin(), std::min(session_token.size(), key_size), key.begin());
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(kCsrfContext.data()),
                     kCsrfContext.size(), key.data(), key_size);
  sodium_memzero(key.data(), key.size());
  std::array<char, sodium_base64_ENCODED_LEN(crypto_generichash_BYTES,
                                             sodium_base64_VARIANT_URLSAFE_NO_PADDING)>
      text{};
  sodium_bin2base64(text.data(), text.size(), digest.data(), digest.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(text.data());
}

bool Auth::csrfMatches(std::string_view session_token, std::string_view presented) const {
  const std::string expected = csrfToken(session_token);
  // The length of a CSRF token is public; only its bytes are compared in constant time.
  if (presented.size() != expected.size()) return false;
  return sodium_memcmp(expected.data(), presented.data(), expected.size()) == 0;
}

std::optional<courses::Actor> Auth::cached(const std::string& token_hash) {
  const std::lock_guard lock(cache_mutex_);
  const auto it = cache_.find(token_hash);
  if (it == cache_.end()) return std::nullopt;
  if (it->second.valid_until <= std::chrono::steady_clock::now()) {
    cache_.erase(it);
    return std::nullopt;
  }
  return it->second.actor;
}

void Auth::remember(const std::string& token_hash, const courses::Actor& actor) {
  const auto now = std::chrono::steady_clock::now();
  const std::lock_guard lock(cache_mutex_);
  if (cache_.size() >= kTokenCacheCapacity) {
    std::erase_if(cache_, [&](const auto& entry) { return entry.second.valid_until <= now; });
    // Still full of live entries: start over rather than grow; the cost is a few lookups.
    if (cache_.size() >= kTokenCacheCapacity) cache_.clear();
  }
  cache_[token_hash] = CachedActor{actor, now + kTokenCacheTtl};
}

void Auth::forget(const std::string& token_hash) {
  const std::lock_guard lock(cache_mutex_);
  cache_.erase(token_hash);
}

void Auth::sessionsEnded(courses::Id account_id) {
  const std::lock_guard lock(cache_mutex_);
  std::erase_if(cache_,
                [&](const auto& entry) { return entry.second.actor.account_id == account_id; });
}

}  // namespace plugin::api
