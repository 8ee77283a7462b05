#include "plugin/security/passwords.hpp"

#include <sodium.h>

#include "courses/error.hpp"
#include "plugin/security/secrets.hpp"

namespace plugin::security {

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

}  // namespace plugin::security
