#include "plugin/lti/jose.hpp"

#include <cjose/cjose.h>
#include <gtest/gtest.h>

#include <array>
#include <boost/json.hpp>
#include <string>

namespace plugin::lti {
namespace {

namespace json = boost::json;

std::string base64Url(std::string_view bytes) {
  char* out = nullptr;
  std::size_t length = 0;
  cjose_err err{};
  EXPECT_TRUE(cjose_base64url_encode(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(),
                                     &out, &length, &err));
  std::string text(out, length);
  cjose_get_dealloc()(out);
  return text;
}

// One key made for the whole suite: RSA generation takes a while.
const RsaKey& toolKey() {
  static const RsaKey key = RsaKey::generate("platform-key-1");
  return key;
}

KeySet publicSet(const RsaKey& key) {
  return KeySet::fromJwks(R"({"keys":[)" + key.publicJson() + "]}");
}

const std::string kPayload = R"({"iss":"https://moodle.example.kz","sub":"42","nonce":"n1"})";

TEST(Jose, ASignedTokenVerifiesWithThePublicKeyAlone) {
  const std::string token = toolKey().sign(kPayload);
  const KeySet keys = publicSet(toolKey());
  const VerifiedToken verified = verifyRs256(token, keys);
  ASSERT_TRUE(verified.ok()) << toString(*verified.refusal);
  EXPECT_EQ(verified.payload, kPayload);
  EXPECT_EQ(verified.header.alg, "RS256");
  EXPECT_EQ(verified.header.kid, "platform-key-1");

  const json::object published = json::parse(toolKey().publicJson()).as_object();
  EXPECT_FALSE(published.contains("d"));
  EXPECT_FALSE(published.contains("p"));
  EXPECT_EQ(published.at("alg").as_string(), "RS256");
  EXPECT_EQ(published.at("use").as_string(), "sig");
  EXPECT_FALSE(keys.byKid("platform-key-1")->hasPrivate());
  // The private JWK reads back into a key that signs what the public one verifies.
  const RsaKey again = RsaKey::fromJson(toolKey().privateJson());
  EXPECT_TRUE(again.hasPrivate());
  EXPECT_TRUE(verifyRs256(again.sign(kPayload), keys).ok());
}

TEST(Jose, AlgNoneIsRefused) {
  const std::string header = base64Url(R"({"alg":"none","kid":"platform-key-1"})");
  const std::string token = header + "." + base64Url(kPayload) + ".";
  const auto verified = verifyRs256(token, publicSet(toolKey()));
  EXPECT_EQ(verified.refusal, TokenRefusal::not_rs256);
  EXPECT_TRUE(verified.payload.empty());
}

TEST(Jose, Hs256SignedWithThePublicKeyIsRefused) {
  // The key confusion attack: the platform's public key, as the HMAC secret.
  const std::string secret = toolKey().publicJson();
  cjose_err err{};
  cjose_jwk_t* hmac = cjose_jwk_create_oct_spec(reinterpret_cast<const uint8_t*>(secret.data()),
                                                secret.size(), &err);
  ASSERT_NE(hmac, nullptr);
  cjose_header_t* header = cjose_header_new(&err);
  cjose_header_set(header, CJOSE_HDR_ALG, CJOSE_HDR_ALG_HS256, &err);
  cjose_header_set(header, CJOSE_HDR_KID, "platform-key-1", &err);
  cjose_jws_t* jws = cjose_jws_sign(hmac, header, reinterpret_cast<const uint8_t*>(kPayload.data()),
                                    kPayload.size(), &err);
  ASSERT_NE(jws, nullptr);
  const char* compact = nullptr;
  ASSERT_TRUE(cjose_jws_export(jws, &compact, &err));
  const std::string token = compact;
  cjose_jws_release(jws);
  cjose_header_release(header);
  cjose_jwk_release(hmac);
  EXPECT_EQ(verifyRs256(token, publicSet(toolKey())).refusal, TokenRefusal::not_rs256);

  // Two "alg" members, one for each parser: refused either way, never verified.
  const std::string signature =
      toolKey().sign(kPayload).substr(toolKey().sign(kPayload).rfind('.'));
  const std::string twice = base64Url(R"({"alg":"RS256","kid":"platform-key-1","alg":"HS256"})") +
                            "." + base64Url(kPayload) + signature;
  EXPECT_FALSE(verifyRs256(twice, publicSet(toolKey())).ok());
  const std::string other_way =
      base64Url(R"({"alg":"HS256","kid":"platform-key-1","alg":"RS256"})") + "." +
      base64Url(kPayload) + signature;
  EXPECT_FALSE(verifyRs256(other_way, publicSet(toolKey())).ok());
}

TEST(Jose, AChangedPayloadOrAnotherKeyUnderTheSameKidFailsTheSignature) {
  const std::string token = toolKey().sign(kPayload);
  const std::size_t first = token.find('.');
  const std::size_t second = token.rfind('.');
  const std::string forged =
      token.substr(0, first + 1) +
      base64Url(R"({"iss":"https://moodle.example.kz","sub":"1","nonce":"n1"})") +
      token.substr(second);
  EXPECT_EQ(verifyRs256(forged, publicSet(toolKey())).refusal, TokenRefusal::bad_signature);

  const RsaKey impostor = RsaKey::generate("platform-key-1");
  EXPECT_EQ(verifyRs256(impostor.sign(kPayload), publicSet(toolKey())).refusal,
            TokenRefusal::bad_signature);
}

TEST(Jose, TheKidChoosesTheKey) {
  const RsaKey unnamed = RsaKey::generate("");
  EXPECT_EQ(verifyRs256(unnamed.sign(kPayload), publicSet(toolKey())).refusal,
            TokenRefusal::no_kid);
  const RsaKey other = RsaKey::generate("platform-key-2");
  EXPECT_EQ(verifyRs256(other.sign(kPayload), publicSet(toolKey())).refusal,
            TokenRefusal::unknown_kid);
  const KeySet both =
      KeySet::fromJwks(R"({"keys":[)" + toolKey().publicJson() + "," + other.publicJson() + "]}");
  EXPECT_EQ(both.size(), 2u);
  EXPECT_TRUE(verifyRs256(other.sign(kPayload), both).ok());
  EXPECT_TRUE(verifyRs256(toolKey().sign(kPayload), both).ok());
}

TEST(Jose, MalformedTokensAreRefusedBeforeAnyKeyIsUsed) {
  const KeySet keys = publicSet(toolKey());
  for (const std::string& token :
       {std::string(""), std::string("abc"), std::string("a.b"), std::string("a.b.c.d"),
        std::string("!!!.e30.x"), base64Url("[1]") + ".e30.x", std::string(70000, 'a') + "..x"}) {
    EXPECT_EQ(verifyRs256(token, keys).refusal, TokenRefusal::malformed) << token.substr(0, 40);
  }
}

TEST(Jose, AKeySetKeepsOnlyRsaSigningKeysWithAKidAndIsBounded) {
  cjose_err err{};
  static constexpr std::array<uint8_t, 3> kExponent{0x01, 0x00, 0x01};
  cjose_jwk_t* short_key =
      cjose_jwk_create_RSA_random(1024, kExponent.data(), kExponent.size(), &err);
  ASSERT_NE(short_key, nullptr);
  cjose_jwk_set_kid(short_key, "short", 5, &err);
  char* short_json = cjose_jwk_to_json(short_key, false, &err);
  const std::string weak = short_json;
  cjose_get_dealloc()(short_json);
  cjose_jwk_release(short_key);
  EXPECT_THROW(RsaKey::fromJson(weak), JoseError);

  json::object encryption = json::parse(toolKey().publicJson()).as_object();
  encryption["use"] = "enc";
  encryption["kid"] = "enc";
  json::object rs512 = json::parse(toolKey().publicJson()).as_object();
  rs512["alg"] = "RS512";
  rs512["kid"] = "rs512";
  json::object no_kid = json::parse(toolKey().publicJson()).as_object();
  no_kid.erase("kid");
  const std::string jwks =
      R"({"keys":[{"kty":"EC","crv":"P-256","kid":"ec","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},)" +
      weak + "," + json::serialize(encryption) + "," + json::serialize(rs512) + "," +
      json::serialize(no_kid) + "," + toolKey().publicJson() + "]}";
  const KeySet keys = KeySet::fromJwks(jwks);
  EXPECT_EQ(keys.size(), 1u);
  EXPECT_NE(keys.byKid("platform-key-1"), nullptr);

  std::string many = R"({"keys":[)";
  for (int i = 0; i < 21; ++i) many += (i ? "," : "") + toolKey().publicJson();
  many += "]}";
  EXPECT_THROW(KeySet::fromJwks(many), JoseError);
  EXPECT_EQ(KeySet::fromJwks(many, 21).size(), 21u);
  for (const char* bad : {"", "[]", "{}", R"({"keys":{}})", "<html>"}) {
    EXPECT_THROW(KeySet::fromJwks(bad), JoseError) << bad;
  }
}

}  // namespace
}  // namespace plugin::lti
