#pragma once
// Password hashing: argon2id through libsodium's crypto_pwhash_str with the interactive limits.
// Hashes are self-describing strings ("$argon2id$v=19$m=...") so limits can be raised later
// without invalidating stored ones. What a password must look like is a domain rule
// (courses::validatePassword in courses/account_service.hpp).

#include <string>
#include <string_view>

#include "courses/account_service.hpp"

namespace plugin::security {

/// The argon2id hash of `password`, ready to store. Throws courses::Error(internal) when libsodium
/// cannot allocate the memory the hash needs.
std::string hashPassword(std::string_view password);

/// True when `password` matches `hash` (as made by hashPassword). A malformed or empty hash never
/// matches.
bool verifyPassword(std::string_view hash, std::string_view password);

/// The account service's password hasher: hashPassword and verifyPassword.
class Argon2idHasher final : public courses::PasswordHasher {
 public:
  std::string hash(std::string_view password) const override { return hashPassword(password); }
  bool verify(std::string_view hash, std::string_view password) const override {
    return verifyPassword(hash, password);
  }
};

}  // namespace plugin::security
