#include "plugin/api/auth.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>

#include "courses/error.hpp"
#include "courses/text.hpp"
#include "plugin/api/passwords.hpp"
#include "sodium.hpp"

namespace plugin::api {

namespace {

constexpr std::size_t kTokenBytes = 32;
// base64url without padding of 32 bytes.
constexpr std::size_t kTokenChars = 43;
// Longer inputs cannot be an account's login or password; they are refused without a lookup
// (but after the same hashing work, so the answer takes as long as any other failure).
constexpr std::size_t kMaxLoginBytes = 256;
constexpr std::size_t kMaxPasswordBytes = 1024;

std::chrono::sys_seconds parseTimestamp(std::string_view text) {
  // Fixed layout "YYYY-MM-DDTHH:MM:SSZ".
  auto number = [&](std::size_t pos, std::size_t len) {
    int value = 0;
    const char* first = text.data() + pos;
    const auto [ptr, ec] = std::from_chars(first, first + len, value);
    if (ec != std::errc{} || ptr != first + len) {
      throw courses::Error(courses::ErrorCode::internal, "malformed timestamp");
    }
    return value;
  };
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != 'Z') {
    throw courses::Error(courses::ErrorCode::internal, "malformed timestamp");
  }
  const std::chrono::year_month_day date{std::chrono::year{number(0, 4)},
                                         std::chrono::month{static_cast<unsigned>(number(5, 2))},
                                         std::chrono::day{static_cast<unsigned>(number(8, 2))}};
  if (!date.ok()) throw courses::Error(courses::ErrorCode::internal, "malformed timestamp");
  return std::chrono::sys_days{date} + std::chrono::hours{number(11, 2)} +
         std::chrono::minutes{number(14, 2)} + std::chrono::seconds{number(17, 2)};
}

courses::Timestamp formatTimestamp(std::chrono::sys_seconds instant) {
  const auto day = std::chrono::floor<std::chrono::days>(instant);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time{instant - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ", int{date.year()},
                unsigned{date.month()}, unsigned{date.day()},
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return buffer;
}

bool isWellFormedToken(std::string_view token) {
  if (token.size() != kTokenChars) return false;
  for (const char c : token) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string hashToken(std::string_view token) {
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr,
                     0);
  std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data(), crypto_generichash_BYTES * 2);
}

std::string newToken() {
  std::array<unsigned char, kTokenBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, sodium_base64_ENCODED_LEN(kTokenBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)>
      text{};
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(bytes.data(), bytes.size());
  return std::string(text.data());
}

courses::Actor actorOf(const courses::Account& account) {
  return courses::Actor{account.id, account.role, account.participant_id};
}

/// A real hash of a random password, made once per process: verifying against it costs what a
/// real check costs, so an unknown login takes as long to refuse as a wrong password.
const std::string& dummyHash() {
  static const std::string hash = hashPassword(newToken());
  return hash;
}

[[noreturn]] void throwBadCredentials() {
  throw courses::Error(courses::ErrorCode::unauthenticated, "invalid login or password");
}

[[noreturn]] void throwBadCode() {
  throw courses::Error(courses::ErrorCode::unauthenticated,
                       "the access code is wrong, used or expired");
}

[[noreturn]] void throwTooMany(std::string message, long long seconds) {
  courses::Error error(courses::ErrorCode::too_many_requests, std::move(message));
  error.retry_after_seconds = static_cast<int>(std::max<long long>(1, seconds));
  throw error;
}

// The message a session's CSRF token is the keyed hash of; changing it changes every CSRF token.
constexpr std::string_view kCsrfContext = "qatysu csrf token v1";

constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::string newAccessCode() {
  std::string code(kAccessCodeLength, '0');
  for (char& c : code)
    c = kCrockford[randombytes_uniform(static_cast<uint32_t>(kCrockford.size()))];
  return code;
}

}  // namespace

std::optional<std::string> normalizeAccessCode(std::string_view typed) {
  // Anything much longer than a code with separators is not one; refuse it before looking.
  if (typed.size() > 4 * kAccessCodeLength) return std::nullopt;
  std::string code;
  for (const char raw : typed) {
    if (raw == '-' || raw == ' ') continue;
    char c = static_cast<char>(std::toupper(static_cast<unsigned char>(raw)));
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (kCrockford.find(c) == std::string_view::npos) return std::nullopt;
    code += c;
  }
  if (code.size() != kAccessCodeLength) return std::nullopt;
  return code;
}

std::string formatAccessCode(std::string_view code) {
  const std::size_t half = code.size() / 2;
  return std::string(code.substr(0, half)) + "-" + std::string(code.substr(half));
}

void requireAccountAdmin(const courses::Actor& actor) {
  if (!actor.isAdmin()) {
    throw courses::Error(courses::ErrorCode::forbidden, "only administrators manage accounts");
  }
}

void validateLogin(std::string_view login) {
  const auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  };
  const bool ok = login.size() >= 2 && login.size() <= 64 &&
                  std::all_of(login.begin(), login.end(), allowed) &&
                  std::isalnum(static_cast<unsigned char>(login.front())) != 0;
  if (!ok) {
    throw courses::Error(courses::ErrorCode::invalid_argument, "the login is not usable",
                         {{"login",
                           "must be 2-64 characters of a-z, 0-9, '.', '_' and '-', starting "
                           "with a letter or digit"}});
  }
}

courses::Timestamp addSeconds(const courses::Timestamp& timestamp, std::chrono::seconds delta) {
  return formatTimestamp(parseTimestamp(timestamp) + delta);
}

long long secondsBetween(const courses::Timestamp& from, const courses::Timestamp& to) {
  return (parseTimestamp(to) - parseTimestamp(from)).count();
}

Auth::Auth(courses::AccountRepository& accounts, const courses::Clock& clock, AuthConfig config)
    : accounts_(accounts),
      clock_(clock),
      config_(config),
      code_failures_({config.max_failures, std::chrono::minutes{config.lock_minutes},
                      config.tracked_addresses}) {
  // The dummy hash is made on the first login that needs it, not here: tools and tests that
  // build an Auth without ever refusing an unknown login need not pay for a deliberately slow
  // hash.
  ensureSodium();
}

Auth::LoginResult Auth::login(std::string_view login, std::string_view password) {
  if (login.empty() || login.size() > kMaxLoginBytes || password.size() > kMaxPasswordBytes) {
    verifyPassword(dummyHash(), password.substr(0, kMaxPasswordBytes));
    throwBadCredentials();
  }
  auto credentials = accounts_.findByLogin(std::string(login));
  if (!credentials) {
    verifyPassword(dummyHash(), password);
    throwBadCredentials();
  }
  const courses::Account& account = credentials->account;
  const courses::Timestamp now = clock_.now();

  if (credentials->locked_until) {
    if (*credentials->locked_until > now) {
      throwTooMany("too many failed logins; try again later",
                   secondsBetween(now, *credentials->locked_until));
    }
    // The lock has run out: the account starts again with a full set of attempts.
    accounts_.resetFailedLogins(account.id);
    credentials->failed_logins = 0;
    credentials->locked_until.reset();
  }

  const bool has_password = !credentials->password_hash.empty();
  const bool matches =
      verifyPassword(has_password ? credentials->password_hash : dummyHash(), password) &&
      has_password;
  if (!matches) {
    if (has_password && !account.disabled) {
      const auto lock_until = addSeconds(now, std::chrono::minutes{config_.lock_minutes});
      accounts_.recordFailedLogin(account.id, config_.max_failures, lock_until);
    }
    throwBadCredentials();
  }
  if (account.disabled) throwBadCredentials();
  if (credentials->failed_logins > 0) accounts_.resetFailedLogins(account.id);
  return issueToken(account, now);
}

Auth::LoginResult Auth::issueToken(const courses::Account& account, const courses::Timestamp& now) {
  LoginResult result;
  result.token = newToken();
  result.expires_at = addSeconds(now, std::chrono::hours{config_.token_ttl_hours});
  result.account = account;
  accounts_.storeToken(hashToken(result.token), account.id, result.expires_at);
  return result;
}

Auth::AccessCode Auth::issueAccessCode(const courses::Actor& actor,
                                       courses::ParticipantService& participants,
                                       courses::Id participant_id) {
  if (actor.role == courses::Role::learner) {
    throw courses::Error(courses::ErrorCode::forbidden, "learners cannot issue access codes");
  }
  // The participant service decides who may see the person: others get not_found.
  const courses::Participant person = participants.find(actor, participant_id);
  std::optional<courses::Account> account = accounts_.findByParticipant(person.id);
  if (!account) {
    courses::Account learner;
    learner.login = "learner-" + std::to_string(person.id);
    learner.display_name = person.full_name;
    learner.role = courses::Role::learner;
    learner.participant_id = person.id;
    account = accounts_.create(learner, "");
  }
  AccessCode result;
  const std::string code = newAccessCode();
  result.login = account->login;
  result.code = formatAccessCode(code);
  result.expires_at =
      addSeconds(clock_.now(), std::chrono::hours{24 * config_.access_code_ttl_days});
  accounts_.storeAccessCode(account->id, hashToken(code), result.expires_at);
  return result;
}

Auth::LoginResult Auth::loginWithCode(std::string_view code, const std::string& client_address) {
  if (const auto wait = code_failures_.retryAfter(client_address)) {
    throwTooMany("too many wrong access codes from this address; try again later", *wait);
  }
  const auto normalized = normalizeAccessCode(code);
  const courses::Timestamp now = clock_.now();
  std::optional<courses::Account> account;
  if (normalized) account = accounts_.redeemAccessCode(hashToken(*normalized), now);
  if (!account) {
    code_failures_.record(client_address);
    throwBadCode();
  }
  code_failures_.clear(client_address);
  // A code is a reset: whatever password the account had no longer opens it, and a lock from
  // wrong passwords ends.
  accounts_.setPassword(account->id, "");
  accounts_.resetFailedLogins(account->id);
  return issueToken(*account, now);
}

void Auth::setOwnPassword(const courses::Actor& actor, std::string_view password,
                          const std::optional<std::string>& current_password) {
  validatePassword(password);
  const auto account = accounts_.find(actor.account_id);
  if (!account) throw courses::Error(courses::ErrorCode::unauthenticated, "no such account");
  auto credentials = accounts_.findByLogin(account->login);
  if (!credentials) throw courses::Error(courses::ErrorCode::unauthenticated, "no such account");
  const courses::Timestamp now = clock_.now();
  if (!credentials->password_hash.empty()) {
    if (credentials->locked_until && *credentials->locked_until > now) {
      throwTooMany("too many failed logins; try again later",
                   secondsBetween(now, *credentials->locked_until));
    }
    if (!current_password) {
      throw courses::Error(courses::ErrorCode::invalid_argument,
                           "the current password is required to change it",
                           {{"current_password", "is required when a password is set"}});
    }
    if (current_password->size() > kMaxPasswordBytes ||
        !verifyPassword(credentials->password_hash, *current_password)) {
      const auto lock_until = addSeconds(now, std::chrono::minutes{config_.lock_minutes});
      accounts_.recordFailedLogin(account->id, config_.max_failures, lock_until);
      throw courses::Error(courses::ErrorCode::invalid_argument, "the current password is wrong",
                           {{"current_password", "does not match"}});
    }
  }
  accounts_.setPassword(account->id, hashPassword(password));
  if (credentials->failed_logins > 0) accounts_.resetFailedLogins(account->id);
}

std::optional<courses::Actor> Auth::authenticate(std::string_view bearer_token) {
  if (!isWellFormedToken(bearer_token)) return std::nullopt;
  const std::string token_hash = hashToken(bearer_token);
  if (auto actor = cached(token_hash)) return actor;
  auto account = accounts_.findByToken(token_hash, clock_.now());
  if (!account || account->disabled) return std::nullopt;
  const courses::Actor actor = actorOf(*account);
  remember(token_hash, actor);
  return actor;
}

void Auth::logout(std::string_view bearer_token) {
  if (!isWellFormedToken(bearer_token)) return;
  const std::string token_hash = hashToken(bearer_token);
  forget(token_hash);
  accounts_.deleteToken(token_hash);
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

void Auth::setLanguage(const courses::Actor& actor, courses::Language language) {
  accounts_.setLanguage(actor.account_id, language);
}

courses::Page<courses::Account> Auth::listAccounts(const courses::Actor& actor,
                                                   std::optional<courses::Role> role,
                                                   courses::PageRequest page) {
  requireAccountAdmin(actor);
  return accounts_.list(role, page);
}

courses::Account Auth::findAccount(const courses::Actor& actor, courses::Id id) {
  requireAccountAdmin(actor);
  auto account = accounts_.find(id);
  if (!account) throw courses::Error(courses::ErrorCode::not_found, "no such account");
  return *account;
}

courses::Account Auth::createStaffAccount(const courses::Actor& actor, const StaffAccount& request,
                                          const courses::GlyphCoverage& coverage) {
  requireAccountAdmin(actor);
  if (request.role == courses::Role::learner) {
    // A learner account belongs to a person: it comes with their access code.
    throw courses::Error(courses::ErrorCode::invalid_argument,
                         "staff accounts are admins or trainers",
                         {{"role", "must be one of admin, trainer"}});
  }
  validateLogin(request.login);
  // The name is printed on certificates: a clean name the certificate fonts can draw.
  const std::string display_name = courses::validateName(request.display_name, "display_name");
  courses::requireDrawable(coverage, display_name, "display_name");
  validatePassword(request.password);
  courses::Account account;
  account.login = request.login;
  account.display_name = display_name;
  account.role = request.role;
  try {
    return accounts_.create(account, hashPassword(request.password));
  } catch (const courses::Error& e) {
    if (e.code() != courses::ErrorCode::conflict) throw;
    throw courses::Error(courses::ErrorCode::conflict, "the login is taken",
                         {{"login", "is taken by another account"}});
  }
}

courses::Account Auth::updateAccount(const courses::Actor& actor, courses::Id id,
                                     const AccountEdit& edit,
                                     const courses::GlyphCoverage& coverage) {
  requireAccountAdmin(actor);
  if (!accounts_.find(id)) throw courses::Error(courses::ErrorCode::not_found, "no such account");
  if (edit.disabled.value_or(false) && id == actor.account_id) {
    // Nobody would be left to undo it if this was the last administrator.
    throw courses::Error(courses::ErrorCode::conflict, "you cannot disable your own account",
                         {{"disabled", "cannot be set on your own account"}});
  }
  courses::AccountChange change;
  if (edit.display_name) {
    change.display_name = courses::validateName(*edit.display_name, "display_name");
    courses::requireDrawable(coverage, *change.display_name, "display_name");
  }
  if (edit.password) {
    validatePassword(*edit.password);
    change.password_hash = hashPassword(*edit.password);
  }
  change.disabled = edit.disabled;
  courses::Account updated = accounts_.update(id, change);
  if (updated.disabled || change.password_hash) forgetAccount(id);
  return updated;
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

void Auth::forgetAccount(courses::Id account_id) {
  const std::lock_guard lock(cache_mutex_);
  std::erase_if(cache_,
                [&](const auto& entry) { return entry.second.actor.account_id == account_id; });
}

}  // namespace plugin::api
