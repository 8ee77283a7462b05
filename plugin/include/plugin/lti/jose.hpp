#pragma once
// JSON Web Keys and Signatures as LTI 1.3 uses them (RFC 7515, 7517, 7518), on cjose, the JOSE
// library Apache's mod_auth_openidc checks id_tokens with: RSA keys of 2,048 bits or more, and
// RS256 only. A token's header is read here before cjose sees it, so that `alg: none`, HS256
// (an HMAC keyed with a public key) or any other algorithm is refused whatever the library would
// accept. cjose's handles stay in the .cpp.

#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace plugin::lti {

/// A key or token that cannot be read or used; the message says what (never key material).
class JoseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An RSA key as a JWK: a platform's public one, or the tool's own with its private half.
/// Copies share the key (cjose counts references).
class RsaKey {
 public:
  /// A new 2,048-bit key (exponent 65537) named `kid`.
  static RsaKey generate(std::string kid);
  /// Reads one JWK (JSON text): kty RSA, a modulus of at least 2,048 bits; `alg`, when given,
  /// RS256; `use`, when given, sig. Throws JoseError.
  static RsaKey fromJson(std::string_view jwk_json);

  RsaKey(const RsaKey& other);
  RsaKey& operator=(const RsaKey& other);
  RsaKey(RsaKey&&) noexcept;
  RsaKey& operator=(RsaKey&&) noexcept;
  ~RsaKey();

  const std::string& kid() const noexcept { return kid_; }
  bool hasPrivate() const noexcept { return private_; }
  /// The public JWK as a key set publishes it: kty, kid, n, e, alg RS256, use sig.
  std::string publicJson() const;
  /// The JWK with its private half (for the tool's key file only).
  std::string privateJson() const;
  /// A compact JWS of `payload` (a JSON text) signed RS256, header {"alg","typ":"JWT","kid"}.
  /// Throws JoseError without a private half.
  std::string sign(std::string_view payload) const;

 private:
  struct Handle;
  RsaKey(std::shared_ptr<Handle> handle, std::string kid, bool has_private);
  std::shared_ptr<Handle> handle_;
  std::string kid_;
  bool private_ = false;
  friend struct Verifier;
};

/// A platform's published keys (a JWKS document).
class KeySet {
 public:
  /// Reads a JWKS ({"keys": [...]}) of at most `max_keys` keys. Keys Qatysu cannot use (EC, oct,
  /// `use: enc`, another alg, short RSA) are skipped, as RFC 7517 §5 allows; a key without `kid`
  /// too (LTI needs it to choose). Throws JoseError when the document is not a key set.
  static KeySet fromJwks(std::string_view jwks_json, std::size_t max_keys = 20);
  explicit KeySet(std::vector<RsaKey> keys = {}) : keys_(std::move(keys)) {}

  const RsaKey* byKid(std::string_view kid) const noexcept;
  std::size_t size() const noexcept { return keys_.size(); }
  /// The set as JSON ({"keys": [public JWKs]}).
  std::string publicJson() const;

 private:
  std::vector<RsaKey> keys_;
};

/// Why a compact token was not accepted.
enum class TokenRefusal {
  malformed,      ///< not three base64url parts, or a header or payload that is not JSON
  not_rs256,      ///< alg is not RS256 (none, HS256, RS512, …)
  no_kid,         ///< the header names no key
  unknown_kid,    ///< no key of the set has the header's kid
  bad_signature,  ///< the signature does not verify with that key
};

/// Short stable name ("not_rs256").
std::string_view toString(TokenRefusal refusal) noexcept;

/// The header of a compact token, read without verifying anything.
struct TokenHeader {
  std::string alg;
  std::string kid;
};
/// nullopt when the token is not three base64url parts with a JSON object header.
std::optional<TokenHeader> peekHeader(std::string_view compact);

/// A token checked against a key set: its payload (JSON text) when the signature holds.
struct VerifiedToken {
  std::optional<TokenRefusal> refusal;
  TokenHeader header;
  std::string payload;
  bool ok() const noexcept { return !refusal; }
};

/// Verifies `compact` (at most 64 KiB) with the key of `keys` its header's kid names, RS256 only.
VerifiedToken verifyRs256(std::string_view compact, const KeySet& keys);

}  // namespace plugin::lti
