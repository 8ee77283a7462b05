#include "plugin/lti/tool_keys.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace plugin::lti {
namespace {

namespace fs = std::filesystem;

class ToolKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("qatysu-lti-keys-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    file_ = dir_ / "var" / "lti-keys.json";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  fs::path file_;
};

TEST_F(ToolKeysTest, MadeOnFirstStartPrivateToItsOwnerAndTheSameAfterwards) {
  const ToolKeys first = ToolKeys::loadOrCreate(file_, "2026-12-07T10:00:00Z");
  ASSERT_TRUE(fs::exists(file_));
  struct stat info {};
  ASSERT_EQ(::stat(file_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(first.current().kid().rfind("qatysu-20261207T100000Z-", 0), 0u)
      << first.current().kid();

  const ToolKeys again = ToolKeys::loadOrCreate(file_, "2026-12-08T10:00:00Z");
  EXPECT_EQ(again.current().kid(), first.current().kid());
  // What one signs, the other's published set verifies: every instance on the file agrees.
  const std::string token = first.current().sign(R"({"iss":"qatysu"})");
  EXPECT_TRUE(verifyRs256(token, again.published("2026-12-08T10:00:00Z")).ok());
  // The published set holds no private half.
  EXPECT_EQ(again.published("2026-12-08T10:00:00Z").publicJson().find("\"d\""), std::string::npos);
}

TEST_F(ToolKeysTest, ARotatedKeyIsPublishedForThirtyDaysThenDropped) {
  const ToolKeys first = ToolKeys::loadOrCreate(file_, "2026-12-07T10:00:00Z");
  const std::string old_token = first.current().sign(R"({"n":1})");
  const ToolKeys rotated = ToolKeys::rotate(file_, "2026-12-10T10:00:00Z");
  EXPECT_NE(rotated.current().kid(), first.current().kid());
  EXPECT_EQ(rotated.entries().size(), 2u);
  EXPECT_EQ(ToolKeys::loadOrCreate(file_, "2026-12-10T10:00:01Z").current().kid(),
            rotated.current().kid());

  const KeySet soon = rotated.published("2027-01-08T10:00:00Z");
  EXPECT_EQ(soon.size(), 2u);
  EXPECT_TRUE(verifyRs256(old_token, soon).ok());
  const KeySet later = rotated.published("2027-01-09T10:00:00Z");
  EXPECT_EQ(later.size(), 1u);
  EXPECT_EQ(verifyRs256(old_token, later).refusal, TokenRefusal::unknown_kid);

  // The next rotation after thirty days leaves the first key out of the file.
  const ToolKeys next = ToolKeys::rotate(file_, "2027-01-20T10:00:00Z");
  ASSERT_EQ(next.entries().size(), 2u);
  EXPECT_EQ(next.entries()[1].key.kid(), rotated.current().kid());
}

TEST_F(ToolKeysTest, AFileThatIsNotAKeyFileIsRefusedNotReplaced) {
  fs::create_directories(file_.parent_path());
  for (const char* text : {"", "{}", R"({"keys":[]})", R"({"keys":[{"jwk":{"kty":"RSA"}}]})"}) {
    std::ofstream(file_) << text;
    EXPECT_THROW(ToolKeys::loadOrCreate(file_, "2026-12-07T10:00:00Z"), JoseError) << text;
  }
  std::ifstream in(file_);
  std::string left((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(left, R"({"keys":[{"jwk":{"kty":"RSA"}}]})");
}

}  // namespace
}  // namespace plugin::lti
