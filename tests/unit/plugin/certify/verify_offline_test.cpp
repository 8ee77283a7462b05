#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "certificates/signing.hpp"
#include "plugin/cli/certificate_commands.hpp"
#include "plugin/cli/commands.hpp"

namespace plugin::cli {
namespace {

certificates::SignedFields sampleFields() {
  return {.serial = "LSG-EKZ-SV-2019-000004",
          .full_name = "Ерлан Сейітұлы",
          .course_title = "Учебная поездка в Болгарию",
          .hours = "7.5",
          .starts_on = "2019-05-13",
          .ends_on = "2019-05-17",
          .issuer = "Ассоциация ARGO"};
}

class VerifyOfflineTest : public ::testing::Test {
 protected:
  VerifyOfflineTest() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "qatysu-verify-offline-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    std::ofstream(dir_ / "public-key.json")
        << R"({"algorithm":"Ed25519","public_key":")" << key_.publicKey() << R"(","key_id":")"
        << key_.keyId() << "\"}\n";
    std::ofstream(dir_ / "public-key.txt") << key_.publicKey() << '\n';
  }
  ~VerifyOfflineTest() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::string qrFor(const certificates::SignedFields& fields) const {
    const std::string payload = certificates::canonicalPayload(fields);
    return certificates::qrPayload(
        "https://qatysu.example.kz/verify/" + fields.serial + "?t=AAAAAAAAAAAAAAAAAAAAAA", payload,
        key_.sign(payload));
  }

  int run(std::vector<std::string> args, const std::string& input = "") {
    in_.str(input);
    out_.str("");
    err_.str("");
    Console console{in_, out_, err_};
    return verifyOfflineCommand(args, console);
  }

  certificates::SigningKey key_ = certificates::SigningKey::fromSeed(std::string(32, '\x21'));
  std::filesystem::path dir_;
  std::istringstream in_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(VerifyOfflineTest, AGenuinePayloadIsValidWithWhatItSays) {
  const std::string key_file = (dir_ / "public-key.json").string();
  EXPECT_EQ(run({qrFor(sampleFields()), "--public-key", key_file}), kExitOk) << err_.str();
  const std::string out = out_.str();
  EXPECT_TRUE(out.starts_with("VALID")) << out;
  for (const char* expected :
       {"LSG-EKZ-SV-2019-000004", "Ерлан Сейітұлы", "Учебная поездка в Болгарию", "7.5",
        "2019-05-13", "2019-05-17", "Ассоциация ARGO", "https://qatysu.example.kz/verify/"}) {
    EXPECT_NE(out.find(expected), std::string::npos) << expected << " missing in\n" << out;
  }
}

TEST_F(VerifyOfflineTest, AcceptsABareKeyAndThePayloadOnStandardInput) {
  const std::string key_file = (dir_ / "public-key.txt").string();
  EXPECT_EQ(run({"-", "--public-key", key_file}, qrFor(sampleFields()) + "\n"), kExitOk)
      << out_.str() << err_.str();
  EXPECT_TRUE(out_.str().starts_with("VALID"));
}

TEST_F(VerifyOfflineTest, AChangedNameIsInvalid) {
  const std::string genuine = qrFor(sampleFields());
  certificates::SignedFields forged = sampleFields();
  forged.full_name = "Ерлан Сейітов";
  const std::string tampered = certificates::qrPayload(genuine.substr(0, genuine.find('#')),
                                                       certificates::canonicalPayload(forged),
                                                       genuine.substr(genuine.find("&s=") + 3));
  EXPECT_EQ(run({tampered, "--public-key", (dir_ / "public-key.json").string()}), kExitFailure);
  EXPECT_TRUE(out_.str().starts_with("INVALID: ")) << out_.str();
  EXPECT_NE(out_.str().find("signature"), std::string::npos);
}

TEST_F(VerifyOfflineTest, AnotherKeyMakesItInvalid) {
  const auto other = certificates::SigningKey::fromSeed(std::string(32, '\x22'));
  std::ofstream(dir_ / "other.txt") << other.publicKey();
  EXPECT_EQ(run({qrFor(sampleFields()), "--public-key", (dir_ / "other.txt").string()}),
            kExitFailure);
  EXPECT_TRUE(out_.str().starts_with("INVALID: "));
}

TEST_F(VerifyOfflineTest, UsageMistakesExitWithTwo) {
  const std::string key_file = (dir_ / "public-key.json").string();
  EXPECT_EQ(run({qrFor(sampleFields())}), kExitUsage);
  EXPECT_NE(err_.str().find("--public-key"), std::string::npos);
  EXPECT_EQ(run({"--public-key", key_file}), kExitUsage);
  EXPECT_EQ(run({"a", "b", "--public-key", key_file}), kExitUsage);
  EXPECT_EQ(run({"a", "--public-key", key_file, "--bogus"}), kExitUsage);
  EXPECT_EQ(run({"a", "--public-key", (dir_ / "missing.json").string()}), kExitUsage);
  EXPECT_NE(err_.str().find("missing.json"), std::string::npos);
  std::ofstream(dir_ / "wrong.json") << R"({"algorithm":"RSA","public_key":"abc"})";
  EXPECT_EQ(run({"a", "--public-key", (dir_ / "wrong.json").string()}), kExitUsage);
  std::ofstream(dir_ / "broken.json") << R"({"public_key":)";
  EXPECT_EQ(run({"a", "--public-key", (dir_ / "broken.json").string()}), kExitUsage);
}

TEST_F(VerifyOfflineTest, HelpExitsWithZero) {
  EXPECT_EQ(run({"--help"}), kExitOk);
  EXPECT_NE(out_.str().find("verify-offline PAYLOAD --public-key FILE"), std::string::npos);
}

}  // namespace
}  // namespace plugin::cli
