#include "plugin/lti/jose.hpp"

#include <cjose/cjose.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cstdint>
#include <utility>

namespace plugin::lti {

namespace json = boost::json;

namespace {

constexpr std::size_t kMinModulusBytes = 256;  // 2,048 bits
constexpr std::size_t kMaxTokenBytes = 64 * 1024;
constexpr std::string_view kRs256 = "RS256";

[[noreturn]] void fail(std::string_view what, const cjose_err& err) {
  throw JoseError(std::string(what) +
                  (err.message != nullptr ? std::string(": ") + err.message : ""));
}

// A string cjose allocated, freed with its deallocator.
struct CjoseText {
  char* text = nullptr;
  ~CjoseText() {
    if (text != nullptr) cjose_get_dealloc()(text);
  }
};

std::optional<std::string> base64UrlDecode(std::string_view text) {
  if (text.empty()) return std::string();
  uint8_t* out = nullptr;
  std::size_t length = 0;
  cjose_err err{};
  if (!cjose_base64url_decode(text.data(), text.size(), &out, &length, &err)) return std::nullopt;
  std::string decoded(reinterpret_cast<const char*>(out), length);
  cjose_get_dealloc()(out);
  return decoded;
}

std::optional<json::object> parseObject(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

std::string stringField(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

// Why a JWK cannot be used to check RS256 signatures; empty when it can.
std::string unusable(const json::object& jwk) {
  if (stringField(jwk, "kty") != "RSA") return "not an RSA key";
  const std::string alg = stringField(jwk, "alg");
  if (jwk.contains("alg") && alg != kRs256) return "for another algorithm than RS256";
  if (jwk.contains("use") && stringField(jwk, "use") != "sig") return "not for signatures";
  const auto modulus = base64UrlDecode(stringField(jwk, "n"));
  if (!modulus || stringField(jwk, "e").empty()) return "without a modulus or an exponent";
  // A modulus may carry a leading zero byte.
  const std::size_t bytes = modulus->size() - (!modulus->empty() && (*modulus)[0] == '\0' ? 1 : 0);
  if (bytes < kMinModulusBytes) return "shorter than 2,048 bits";
  return {};
}

}  // namespace

struct RsaKey::Handle {
  explicit Handle(cjose_jwk_t* key) : jwk(key) {}
  ~Handle() { cjose_jwk_release(jwk); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  cjose_jwk_t* jwk;
};

RsaKey::RsaKey(std::shared_ptr<Handle> handle, std::string kid, bool has_private)
    : handle_(std::move(handle)), kid_(std::move(kid)), private_(has_private) {}
RsaKey::RsaKey(const RsaKey& other) = default;
RsaKey& RsaKey::operator=(const RsaKey& other) = default;
RsaKey::RsaKey(RsaKey&&) noexcept = default;
RsaKey& RsaKey::operator=(RsaKey&&) noexcept = default;
RsaKey::~RsaKey() = default;

RsaKey RsaKey::generate(std::string kid) {
  static constexpr std::array<uint8_t, 3> kExponent{0x01, 0x00, 0x01};
  cjose_err err{};
  cjose_jwk_t* jwk = cjose_jwk_create_RSA_random(2048, kExponent.data(), kExponent.size(), &err);
  if (jwk == nullptr) fail("cannot create an RSA key", err);
  auto handle = std::make_shared<Handle>(jwk);
  if (!cjose_jwk_set_kid(jwk, kid.data(), kid.size(), &err)) fail("cannot name the key", err);
  return RsaKey(std::move(handle), std::move(kid), true);
}

RsaKey RsaKey::fromJson(std::string_view jwk_json) {
  const auto object = parseObject(jwk_json);
  if (!object) throw JoseError("the key is not a JSON object");
  if (const std::string why = unusable(*object); !why.empty()) throw JoseError("the key is " + why);
  cjose_err err{};
  cjose_jwk_t* jwk = cjose_jwk_import(jwk_json.data(), jwk_json.size(), &err);
  if (jwk == nullptr) fail("cannot read the key", err);
  auto handle = std::make_shared<Handle>(jwk);
  return RsaKey(std::move(handle), stringField(*object, "kid"), object->contains("d"));
}

std::string RsaKey::publicJson() const {
  cjose_err err{};
  CjoseText text{cjose_jwk_to_json(handle_->jwk, false, &err)};
  if (text.text == nullptr) fail("cannot write the key", err);
  auto object = parseObject(text.text);
  if (!object) throw JoseError("cannot write the key");
  json::object out;
  out["kty"] = "RSA";
  out["kid"] = kid_;
  out["alg"] = kRs256;
  out["use"] = "sig";
  out["n"] = object->at("n");
  out["e"] = object->at("e");
  return json::serialize(out);
}

std::string RsaKey::privateJson() const {
  cjose_err err{};
  CjoseText text{cjose_jwk_to_json(handle_->jwk, true, &err)};
  if (text.text == nullptr) fail("cannot write the key", err);
  return text.text;
}

std::string RsaKey::sign(std::string_view payload) const {
  if (!private_) throw JoseError("a public key cannot sign");
  cjose_err err{};
  std::unique_ptr<cjose_header_t, void (*)(cjose_header_t*)> header(cjose_header_new(&err),
                                                                    cjose_header_release);
  if (!header) fail("cannot make a header", err);
  if (!cjose_header_set(header.get(), CJOSE_HDR_ALG, CJOSE_HDR_ALG_RS256, &err) ||
      !cjose_header_set(header.get(), "typ", "JWT", &err) ||
      !cjose_header_set(header.get(), CJOSE_HDR_KID, kid_.c_str(), &err)) {
    fail("cannot make a header", err);
  }
  std::unique_ptr<cjose_jws_t, void (*)(cjose_jws_t*)> jws(
      cjose_jws_sign(handle_->jwk, header.get(), reinterpret_cast<const uint8_t*>(payload.data()),
                     payload.size(), &err),
      cjose_jws_release);
  if (!jws) fail("cannot sign", err);
  const char* compact = nullptr;
  if (!cjose_jws_export(jws.get(), &compact, &err)) fail("cannot write the token", err);
  return compact;
}

KeySet KeySet::fromJwks(std::string_view jwks_json, std::size_t max_keys) {
  const auto object = parseObject(jwks_json);
  const json::value* keys = object ? object->if_contains("keys") : nullptr;
  if (keys == nullptr || !keys->is_array()) throw JoseError("the document is not a JWK set");
  if (keys->as_array().size() > max_keys) {
    throw JoseError("the JWK set holds more than " + std::to_string(max_keys) + " keys");
  }
  std::vector<RsaKey> usable;
  for (const json::value& key : keys->as_array()) {
    if (!key.is_object() || !unusable(key.as_object()).empty()) continue;
    if (stringField(key.as_object(), "kid").empty()) continue;
    usable.push_back(RsaKey::fromJson(json::serialize(key)));
  }
  return KeySet(std::move(usable));
}

const RsaKey* KeySet::byKid(std::string_view kid) const noexcept {
  const auto it =
      std::find_if(keys_.begin(), keys_.end(), [&](const RsaKey& k) { return k.kid() == kid; });
  return it == keys_.end() ? nullptr : &*it;
}

std::string KeySet::publicJson() const {
  json::array keys;
  for (const RsaKey& key : keys_) keys.push_back(json::parse(key.publicJson()));
  return json::serialize(json::object{{"keys", std::move(keys)}});
}

std::string_view toString(TokenRefusal refusal) noexcept {
  switch (refusal) {
    case TokenRefusal::malformed:
      return "malformed";
    case TokenRefusal::not_rs256:
      return "not_rs256";
    case TokenRefusal::no_kid:
      return "no_kid";
    case TokenRefusal::unknown_kid:
      return "unknown_kid";
    case TokenRefusal::bad_signature:
      return "bad_signature";
  }
  return "malformed";
}

std::optional<TokenHeader> peekHeader(std::string_view compact) {
  if (compact.size() > kMaxTokenBytes || std::count(compact.begin(), compact.end(), '.') != 2) {
    return std::nullopt;
  }
  const auto text = base64UrlDecode(compact.substr(0, compact.find('.')));
  if (!text) return std::nullopt;
  const auto header = parseObject(*text);
  if (!header) return std::nullopt;
  return TokenHeader{stringField(*header, "alg"), stringField(*header, "kid")};
}

struct Verifier {
  static cjose_jwk_t* jwkOf(const RsaKey& key) { return key.handle_->jwk; }
};

VerifiedToken verifyRs256(std::string_view compact, const KeySet& keys) {
  VerifiedToken out;
  const auto header = peekHeader(compact);
  if (!header) {
    out.refusal = TokenRefusal::malformed;
    return out;
  }
  out.header = *header;
  if (header->alg != kRs256) {
    out.refusal = TokenRefusal::not_rs256;
    return out;
  }
  if (header->kid.empty()) {
    out.refusal = TokenRefusal::no_kid;
    return out;
  }
  const RsaKey* key = keys.byKid(header->kid);
  if (key == nullptr) {
    out.refusal = TokenRefusal::unknown_kid;
    return out;
  }
  cjose_err err{};
  std::unique_ptr<cjose_jws_t, void (*)(cjose_jws_t*)> jws(
      cjose_jws_import(compact.data(), compact.size(), &err), cjose_jws_release);
  if (!jws) {
    out.refusal = TokenRefusal::malformed;
    return out;
  }
  // The header as cjose read it must say RS256 too (a JSON object with two "alg" members is
  // read by two parsers in two ways).
  const char* alg = cjose_header_get(cjose_jws_get_protected(jws.get()), CJOSE_HDR_ALG, &err);
  if (alg == nullptr || std::string_view(alg) != kRs256) {
    out.refusal = TokenRefusal::not_rs256;
    return out;
  }
  if (!cjose_jws_verify(jws.get(), Verifier::jwkOf(*key), &err)) {
    out.refusal = TokenRefusal::bad_signature;
    return out;
  }
  uint8_t* plaintext = nullptr;
  std::size_t length = 0;
  if (!cjose_jws_get_plaintext(jws.get(), &plaintext, &length, &err)) {
    out.refusal = TokenRefusal::malformed;
    return out;
  }
  out.payload.assign(reinterpret_cast<const char*>(plaintext), length);
  return out;
}

}  // namespace plugin::lti
