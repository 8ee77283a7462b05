#include "plugin/api/passwords.hpp"

#include <sodium.h>

#include "courses/error.hpp"
#include "courses/text.hpp"
#include "sodium.hpp"

namespace plugin::api {

namespace {
constexpr std::size_t kMinPasswordCodePoints = 10;
constexpr std::size_t kMaxPasswordCodePoints = 256;
}  // namespace

void ensureSodium() {
  // A function-local static runs sodium_init exactly once even with concurrent first callers.
  static const int result = sodium_init();
  if (result < 0) {
    throw courses::Error(courses::ErrorCode::internal, "libsodium could not be initialised");
  }
}

std::string hashPassword(std::string_view password) {
  ensureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw courses::Error(courses::ErrorCode::internal, "password hashing ran out of memory");
  }
  return std::string(out);
}

bool verifyPassword(std::string_view hash, std::string_view password) {
  ensureSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  // libsodium wants a NUL-terminated hash string.
  const std::string terminated(hash);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

void validatePassword(std::string_view password) {
  if (courses::firstInvalidUtf8(password)) {
    throw courses::Error(courses::ErrorCode::invalid_argument, "password is not valid UTF-8",
                         {{"password", "must be valid UTF-8"}});
  }
  const std::size_t length = courses::codePointCount(password);
  if (length < kMinPasswordCodePoints || length > kMaxPasswordCodePoints) {
    throw courses::Error(courses::ErrorCode::invalid_argument,
                         "password must be 10 to 256 characters long",
                         {{"password", "must be 10 to 256 characters long"}});
  }
}

}  // namespace plugin::api
