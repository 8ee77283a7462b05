#include "plugin/security/secrets.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace plugin::security {
namespace {

TEST(Secrets, DigestsAreBlake2bHex) {
  const std::string digest = digestHex("ABCDEFGHJK");
  EXPECT_EQ(digest.size(), 64u);
  EXPECT_EQ(digest, digestHex("ABCDEFGHJK"));
  EXPECT_NE(digest, digestHex("ABCDEFGHJM"));
  EXPECT_EQ(digest.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(Secrets, RandomTokensAreBase64urlAndDiffer) {
  const std::string token = randomToken(32);
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  EXPECT_NE(token, randomToken(32));
}

TEST(Secrets, AccessCodesUseTheCrockfordAlphabet) {
  const SodiumAccessCodeSecrets secrets;
  std::set<std::string> codes;
  for (int i = 0; i < 50; ++i) {
    const std::string code = secrets.newCode();
    EXPECT_EQ(code.size(), courses::kAccessCodeLength);
    EXPECT_EQ(code.find_first_not_of(courses::kAccessCodeAlphabet), std::string::npos) << code;
    codes.insert(code);
  }
  EXPECT_EQ(codes.size(), 50u);
  EXPECT_EQ(secrets.digest("ABCDEFGHJK"), digestHex("ABCDEFGHJK"));
}

TEST(Secrets, SealedTextsOpenOnlyUnderTheSameKeyAndUntouched) {
  const SecretBoxSealer sealer("a secret of the deployment", "qatysu test sealer context");
  const std::string token = sealer.seal("c1|12|34|2026-01-01T02:00:00Z");
  EXPECT_NE(token, sealer.seal("c1|12|34|2026-01-01T02:00:00Z"));  // a fresh nonce each time
  EXPECT_EQ(sealer.open(token), std::optional<std::string>("c1|12|34|2026-01-01T02:00:00Z"));

  const SecretBoxSealer same("a secret of the deployment", "qatysu test sealer context");
  EXPECT_EQ(same.open(token), std::optional<std::string>("c1|12|34|2026-01-01T02:00:00Z"));
  const SecretBoxSealer other("another secret", "qatysu test sealer context");
  EXPECT_FALSE(other.open(token));

  std::string tampered = token;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(sealer.open(tampered));
  EXPECT_FALSE(sealer.open(""));
  EXPECT_FALSE(sealer.open("not base64 at all!"));
  EXPECT_FALSE(sealer.open(std::string(2000, 'A')));
}

}  // namespace
}  // namespace plugin::security
