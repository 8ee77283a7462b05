#pragma once
// Random secrets and what storage keeps of them, on libsodium: bearer tokens' and access codes'
// BLAKE2b digests, access codes, and the sealed duplicate confirmations trainers are shown
// (courses/duplicate_candidates.hpp).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "courses/account_service.hpp"
#include "courses/duplicate_candidates.hpp"

namespace plugin::security {

/// Initialises libsodium on first call (thread-safe); throws courses::Error(internal) if it fails.
void ensureSodium();

/// Lowercase hex of BLAKE2b-256 of `secret`: what storage keeps of a token or code.
std::string digestHex(std::string_view secret);

/// `bytes` random bytes in base64url without padding.
std::string randomToken(std::size_t bytes);

/// Access codes of courses::kAccessCodeLength random characters of courses::kAccessCodeAlphabet,
/// stored as digestHex.
class SodiumAccessCodeSecrets final : public courses::AccessCodeSecrets {
 public:
  SodiumAccessCodeSecrets();
  std::string newCode() const override;
  std::string digest(std::string_view code) const override { return digestHex(code); }
};

/// Seals with XSalsa20-Poly1305 (crypto_secretbox_easy) under a 32-byte key; tokens are
/// base64url of nonce and box.
class SecretBoxSealer final : public courses::Sealer {
 public:
  /// A sealer with a key derived from `secret` (BLAKE2b keyed with `context`): processes given
  /// the same secret open each other's tokens.
  SecretBoxSealer(std::string_view secret, std::string_view context);
  ~SecretBoxSealer() override;
  SecretBoxSealer(const SecretBoxSealer&) = delete;
  SecretBoxSealer& operator=(const SecretBoxSealer&) = delete;

  std::string seal(std::string_view plaintext) const override;
  std::optional<std::string> open(std::string_view token) const override;

 private:
  unsigned char key_[32];
};

}  // namespace plugin::security
