#pragma once
// Signatures that make a certificate unforgeable, and the QR payload that lets anyone check one
// offline. Ed25519 (libsodium); keys and signatures travel as base64url without padding.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace certificates {

/// The fields a signature covers.
struct SignedFields {
  std::string serial;
  std::string full_name;
  std::string course_title;  ///< in the certificate's language (Kazakh for trilingual pages)
  std::string hours;         ///< as printed, e.g. "24" or "7.5"
  std::string starts_on;     ///< "YYYY-MM-DD"
  std::string ends_on;
  std::string issuer;        ///< in the same language as course_title
  friend bool operator==(const SignedFields&, const SignedFields&) = default;
};

/// The canonical bytes that are signed: "QATYSU-CERT-1" and each field on its own line, in the
/// order declared. Throws Error(invalid_input) when a field holds a line break or invalid UTF-8.
std::string canonicalPayload(const SignedFields& fields);
/// The inverse of canonicalPayload; nullopt when `payload` is not one.
std::optional<SignedFields> parseCanonicalPayload(std::string_view payload);

/// Check codes: 8 characters of Crockford base32 (no I, L, O, U), 40 bits.
inline constexpr std::size_t kCheckCodeLength = 8;
inline constexpr std::string_view kCheckCodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// An Ed25519 key pair. Thread-safe (immutable).
class SigningKey {
 public:
  /// Reads the key from `file` (the 32-byte seed, base64url, one line), or creates a new random
  /// key there first when the file does not exist (mode 0600, parent directories created).
  /// Throws Error(io) when the file cannot be read or written, Error(invalid_input) when it does
  /// not hold a key.
  static SigningKey loadOrCreate(const std::filesystem::path& file);
  /// A key from a 32-byte seed (tests and benchmarks).
  static SigningKey fromSeed(std::string_view seed32);

  /// Base64url Ed25519 signature (64 bytes) of `message`.
  std::string sign(std::string_view message) const;
  /// Base64url public key (32 bytes).
  const std::string& publicKey() const noexcept { return public_key_; }
  /// First 8 bytes of BLAKE2b(public key), hex: names the key in published documents.
  std::string keyId() const;
  /// The certificate's check code: kCheckCodeLength characters of kCheckCodeAlphabet from a
  /// BLAKE2b MAC of `serial` under a key derived from the signing key, so it is printed on the
  /// paper but cannot be worked out from the serial. The same serial always gives the same code
  /// under the same key (a new key gives every certificate a new code).
  std::string checkCode(std::string_view serial) const;

 private:
  SigningKey() = default;
  std::string secret_;  ///< 64-byte libsodium secret key
  std::string public_key_;
};

/// True when `signature` (base64url) is a valid Ed25519 signature of `message` under
/// `public_key` (base64url). Malformed input is simply false.
bool verifySignature(std::string_view message, std::string_view signature,
                     std::string_view public_key) noexcept;

/// The QR code's text: the verification URL (so a phone camera opens the public page), with the
/// signed payload and signature in the fragment, which browsers never send to the server:
/// "<verify_url>#p=<base64url(payload)>&s=<signature>".
std::string qrPayload(std::string_view verify_url, std::string_view canonical_payload,
                      std::string_view signature);

/// Result of checking a QR payload offline.
struct OfflineVerification {
  bool valid = false;          ///< signature matches the payload under the key
  std::string problem;         ///< why not, in English, when !valid
  std::optional<SignedFields> fields;  ///< what the certificate says, when the payload parsed
  std::string verify_url;      ///< the part before '#'
};
/// Checks a QR payload with no network and no database. The serial in the URL must equal the
/// signed serial.
OfflineVerification verifyOffline(std::string_view qr_payload, std::string_view public_key);

/// Base64url without padding, and back (nullopt on bad input).
std::string base64UrlEncode(std::string_view bytes);
std::optional<std::string> base64UrlDecode(std::string_view text);

}  // namespace certificates
