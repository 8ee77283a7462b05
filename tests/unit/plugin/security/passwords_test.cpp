#include "plugin/security/passwords.hpp"

#include <gtest/gtest.h>

#include <string>


namespace plugin::security {
namespace {

TEST(Passwords, HashIsArgon2idAndVerifies) {
  const std::string hash = hashPassword("correct horse battery");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_TRUE(verifyPassword(hash, "correct horse battery"));
}

TEST(Passwords, WrongPasswordDoesNotVerify) {
  const std::string hash = hashPassword("correct horse battery");
  EXPECT_FALSE(verifyPassword(hash, "correct horse batterY"));
  EXPECT_FALSE(verifyPassword(hash, ""));
}

TEST(Passwords, SameInputHashesDifferently) {
  EXPECT_NE(hashPassword("correct horse battery"), hashPassword("correct horse battery"));
}

TEST(Passwords, VerifyHonoursTheCostStoredInTheHash) {
  // Made at libsodium's minimum cost; hashes made with other limits keep verifying.
  const char* cheap =
      "$argon2id$v=19$m=8,t=1,p=1$5OmZOBPteW+FoLmlgFL38Q$nsJOzxEf3j1tQmulLj8CWZ+"
      "xgSKGoXSNnyn45CdRmW0";
  EXPECT_TRUE(verifyPassword(cheap, "correct horse battery"));
  EXPECT_FALSE(verifyPassword(cheap, "correct horse batterx"));
}

TEST(Passwords, MalformedOrEmptyHashNeverMatches) {
  EXPECT_FALSE(verifyPassword("", "anything at all"));
  EXPECT_FALSE(verifyPassword("$argon2id$garbage", "anything at all"));
  EXPECT_FALSE(verifyPassword(std::string(500, 'x'), "anything at all"));
}

TEST(Passwords, NonAsciiPasswordVerifies) {
  const std::string password = "құпия сөз әлі";
  EXPECT_TRUE(verifyPassword(hashPassword(password), password));
}

TEST(Passwords, TheHasherIsHashAndVerify) {
  const Argon2idHasher hasher;
  const std::string hash = hasher.hash("correct horse battery");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_TRUE(hasher.verify(hash, "correct horse battery"));
  EXPECT_FALSE(hasher.verify(hash, "correct horse batterY"));
}

}  // namespace
}  // namespace plugin::security
