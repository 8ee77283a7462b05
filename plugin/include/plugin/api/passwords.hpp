#pragma once
// Password hashing: argon2id through libsodium's crypto_pwhash_str with the interactive limits.
// Hashes are self-describing strings ("$argon2id$v=19$m=...") so limits can be raised later
// without invalidating stored ones.

#include <string>
#include <string_view>

namespace plugin::api {

/// The argon2id hash of `password`, ready to store. Throws courses::Error(internal) when libsodium
/// cannot allocate the memory the hash needs.
std::string hashPassword(std::string_view password);

/// True when `password` matches `hash` (as made by hashPassword). A malformed or empty hash never
/// matches.
bool verifyPassword(std::string_view hash, std::string_view password);

/// Checks a new password: valid UTF-8 of 10..256 code points. Throws
/// courses::Error(invalid_argument) naming the field "password" otherwise.
void validatePassword(std::string_view password);

}  // namespace plugin::api
