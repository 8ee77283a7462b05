#include "plugin/api/passwords.hpp"

#include <gtest/gtest.h>

#include <string>

#include "courses/error.hpp"

namespace plugin::api {
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

courses::ErrorCode codeOf(std::string_view password) {
  try {
    validatePassword(password);
  } catch (const courses::Error& error) {
    EXPECT_FALSE(error.fields().empty());
    if (!error.fields().empty()) {
      EXPECT_EQ(error.fields()[0].field, "password");
    }
    return error.code();
  }
  return courses::ErrorCode::internal;  // "no error" marker for these tests
}

TEST(Passwords, ValidationCountsCodePoints) {
  EXPECT_NO_THROW(validatePassword("0123456789"));
  EXPECT_EQ(codeOf("012345678"), courses::ErrorCode::invalid_argument);
  // 10 Cyrillic letters are 20 bytes but 10 characters.
  EXPECT_NO_THROW(validatePassword("әғқңөұүһіә"));
  std::string longest;
  for (int i = 0; i < 256; ++i) longest += "ә";
  EXPECT_NO_THROW(validatePassword(longest));
  EXPECT_EQ(codeOf(longest + "a"), courses::ErrorCode::invalid_argument);
}

TEST(Passwords, ValidationRejectsInvalidUtf8) {
  EXPECT_EQ(codeOf("0123456789\xC0\xAF"), courses::ErrorCode::invalid_argument);
  EXPECT_EQ(codeOf("0123456789\xED\xA0\x80"), courses::ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace plugin::api
