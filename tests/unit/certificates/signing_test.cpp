#include "certificates/signing.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "certificates/error.hpp"

namespace certificates {
namespace {

std::string fromHex(std::string_view hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return bytes;
}

SignedFields sampleFields() {
  return {.serial = "LSG-EKZ-IP-2019-000123",
          .full_name = "Әлия Қасымова-Үмбетова",
          .course_title = "Инклюзивті жоспарлау негіздері",
          .hours = "24",
          .starts_on = "2019-03-04",
          .ends_on = "2019-03-06",
          .issuer = "ARGO қоғамдық бірлестігі"};
}

SigningKey sampleKey() {
  return SigningKey::fromSeed(std::string(32, '\x07'));
}

/// A fresh directory under the system's temporary directory, removed with its contents.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "qatysu-signing-XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

TEST(Base64Url, EncodesWithTheUrlAlphabetAndNoPadding) {
  EXPECT_EQ(base64UrlEncode(""), "");
  EXPECT_EQ(base64UrlEncode("f"), "Zg");
  EXPECT_EQ(base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(base64UrlEncode("\xfb\xff\xbf"), "-_-_");
}

TEST(Base64Url, DecodesAndRejectsOtherSpellings) {
  EXPECT_EQ(base64UrlDecode("Zm8"), "fo");
  EXPECT_EQ(base64UrlDecode("-_-_"), "\xfb\xff\xbf");
  EXPECT_EQ(base64UrlDecode(""), "");
  EXPECT_FALSE(base64UrlDecode("Zm8="));  // padding
  EXPECT_FALSE(base64UrlDecode("+/+/"));  // standard alphabet
  EXPECT_FALSE(base64UrlDecode("Zm9"));   // non-zero unused bits
  EXPECT_FALSE(base64UrlDecode("Zm8 "));  // trailing junk
  EXPECT_FALSE(base64UrlDecode("Z"));     // impossible length
}

TEST(CanonicalPayload, HasTheHeaderAndOneLinePerFieldInOrder) {
  EXPECT_EQ(canonicalPayload(sampleFields()),
            "QATYSU-CERT-1\n"
            "LSG-EKZ-IP-2019-000123\n"
            "Әлия Қасымова-Үмбетова\n"
            "Инклюзивті жоспарлау негіздері\n"
            "24\n"
            "2019-03-04\n"
            "2019-03-06\n"
            "ARGO қоғамдық бірлестігі\n");
}

TEST(CanonicalPayload, ParsesBackToTheSameFields) {
  const auto fields = sampleFields();
  EXPECT_EQ(parseCanonicalPayload(canonicalPayload(fields)), fields);
  SignedFields empty_issuer = fields;
  empty_issuer.issuer.clear();
  EXPECT_EQ(parseCanonicalPayload(canonicalPayload(empty_issuer)), empty_issuer);
}

TEST(CanonicalPayload, RefusesLineBreaksAndInvalidUtf8NamingTheField) {
  for (const std::string bad : {"Aliya\nQasymova", "Aliya\rQasymova", "Aliya\r\n"}) {
    SignedFields fields = sampleFields();
    fields.full_name = bad;
    try {
      canonicalPayload(fields);
      FAIL() << "accepted a line break";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), Error::Kind::invalid_input);
      EXPECT_EQ(error.field(), "full_name");
    }
  }
  SignedFields fields = sampleFields();
  fields.course_title = "\xd0";  // a truncated two-byte sequence
  try {
    canonicalPayload(fields);
    FAIL() << "accepted invalid UTF-8";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), Error::Kind::invalid_input);
    EXPECT_EQ(error.field(), "course_title");
  }
  fields.course_title = "\xc0\xaf";  // overlong '/'
  EXPECT_THROW(canonicalPayload(fields), Error);
}

TEST(CanonicalPayload, ParseRejectsAnythingElse) {
  const std::string good = canonicalPayload(sampleFields());
  EXPECT_FALSE(parseCanonicalPayload(""));
  EXPECT_FALSE(parseCanonicalPayload(good.substr(0, good.size() - 1)));  // last '\n' missing
  EXPECT_FALSE(parseCanonicalPayload(good + "extra\n"));
  EXPECT_FALSE(parseCanonicalPayload("QATYSU-CERT-2" + good.substr(13)));
  std::string crlf = good;
  crlf.insert(crlf.find('\n'), "\r");
  EXPECT_FALSE(parseCanonicalPayload(crlf));
  EXPECT_FALSE(parseCanonicalPayload(good.substr(0, 20) + "\xff" + good.substr(20)));
}

TEST(SigningKey, MatchesTheRfc8032TestVector) {
  // RFC 8032, section 7.1, TEST 1: the empty message.
  const SigningKey key = SigningKey::fromSeed(
      fromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  EXPECT_EQ(
      key.publicKey(),
      base64UrlEncode(fromHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")));
  EXPECT_EQ(key.sign(""),
            base64UrlEncode(fromHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e0652249"
                                    "01555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e"
                                    "7a100b")));
}

TEST(SigningKey, RefusesASeedOfTheWrongSize) {
  EXPECT_THROW(SigningKey::fromSeed("short"), Error);
  EXPECT_THROW(SigningKey::fromSeed(std::string(33, 'x')), Error);
}

TEST(SigningKey, KeyIdIsSixteenHexDigitsAndDiffersBetweenKeys) {
  const auto id = sampleKey().keyId();
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(id, sampleKey().keyId());
  EXPECT_NE(id, SigningKey::fromSeed(std::string(32, '\x08')).keyId());
}

TEST(SigningKey, CheckCodesAreEightCharactersOnlyTheKeyGives) {
  const SigningKey key = sampleKey();
  const std::string code = key.checkCode("LSG-EKZ-IP-2019-000123");
  EXPECT_EQ(code.size(), kCheckCodeLength);
  EXPECT_EQ(code.find_first_not_of(kCheckCodeAlphabet), std::string::npos) << code;
  EXPECT_EQ(code, sampleKey().checkCode("LSG-EKZ-IP-2019-000123"));
  EXPECT_NE(code, key.checkCode("LSG-EKZ-IP-2019-000124"));
  EXPECT_NE(code,
            SigningKey::fromSeed(std::string(32, '\x08')).checkCode("LSG-EKZ-IP-2019-000123"));
}

TEST(Signature, RoundTrips) {
  const SigningKey key = sampleKey();
  const std::string payload = canonicalPayload(sampleFields());
  const std::string signature = key.sign(payload);
  EXPECT_EQ(signature.size(), 86u);  // 64 bytes, base64url without padding
  EXPECT_TRUE(verifySignature(payload, signature, key.publicKey()));
}

TEST(Signature, TamperedPayloadSignatureOrKeyIsRejected) {
  const SigningKey key = sampleKey();
  const std::string payload = canonicalPayload(sampleFields());
  const std::string signature = key.sign(payload);

  SignedFields changed = sampleFields();
  changed.full_name = "Әлия Қасымова-Үмбетовa";  // last letter Latin 'a'
  EXPECT_FALSE(verifySignature(canonicalPayload(changed), signature, key.publicKey()));

  std::string bad_signature = signature;
  bad_signature[10] = bad_signature[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verifySignature(payload, bad_signature, key.publicKey()));

  const SigningKey other = SigningKey::fromSeed(std::string(32, '\x08'));
  EXPECT_FALSE(verifySignature(payload, signature, other.publicKey()));

  EXPECT_FALSE(verifySignature(payload, "not base64!", key.publicKey()));
  EXPECT_FALSE(verifySignature(payload, signature, "short"));
  EXPECT_FALSE(verifySignature(payload, "", ""));
}

TEST(KeyFile, IsCreatedOnceWithMode0600AndReloadedIdentical) {
  TempDir dir;
  const auto file = dir.path() / "var" / "keys" / "certificate-signing.key";
  const SigningKey created = SigningKey::loadOrCreate(file);
  ASSERT_TRUE(std::filesystem::exists(file));

  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line.size(), 43u);  // 32 bytes, base64url
  EXPECT_TRUE(base64UrlDecode(line));
  std::string rest;
  EXPECT_FALSE(std::getline(in, rest));  // one line only

  const SigningKey reloaded = SigningKey::loadOrCreate(file);
  EXPECT_EQ(reloaded.publicKey(), created.publicKey());
  const std::string payload = canonicalPayload(sampleFields());
  EXPECT_TRUE(verifySignature(payload, reloaded.sign(payload), created.publicKey()));
  EXPECT_EQ(SigningKey::fromSeed(*base64UrlDecode(line)).publicKey(), created.publicKey());

  // No temporary files are left behind.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator(file.parent_path())) {
    ++entries;
  }
  EXPECT_EQ(entries, 1u);
}

TEST(KeyFile, DifferentFilesGetDifferentKeys) {
  TempDir dir;
  EXPECT_NE(SigningKey::loadOrCreate(dir.path() / "a.key").publicKey(),
            SigningKey::loadOrCreate(dir.path() / "b.key").publicKey());
}

TEST(KeyFile, ConcurrentFirstRunsEndWithOneKey) {
  TempDir dir;
  const auto file = dir.path() / "certificate-signing.key";
  constexpr int kThreads = 8;
  std::vector<std::string> keys(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back(
        [&, i] { keys[static_cast<std::size_t>(i)] = SigningKey::loadOrCreate(file).publicKey(); });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), 1u);
  EXPECT_EQ(SigningKey::loadOrCreate(file).publicKey(), keys[0]);
}

TEST(KeyFile, AFileThatHoldsNoKeyIsRefused) {
  TempDir dir;
  const auto file = dir.path() / "broken.key";
  std::ofstream(file) << "this is not a key\n";
  try {
    SigningKey::loadOrCreate(file);
    FAIL() << "accepted a broken key file";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), Error::Kind::invalid_input);
  }
  // The broken file is left as it was, never silently replaced.
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "this is not a key");
}

// A place no key file can be written, whoever runs the test (root ignores permission bits): the
// key's parent "directory" is a regular file.
TEST(KeyFile, AKeyThatCannotBeWrittenIsAnIoError) {
  TempDir dir;
  const std::filesystem::path not_a_directory = dir.path() / "plain-file";
  std::ofstream(not_a_directory) << "not a directory\n";
  try {
    SigningKey::loadOrCreate(not_a_directory / "keys" / "key");
    FAIL() << "created a key below a regular file";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), Error::Kind::io);
  }
}

TEST(QrPayload, PutsPayloadAndSignatureInTheFragment) {
  EXPECT_EQ(qrPayload("https://q.example/verify/S-1?t=abc", "QATYSU", "SIG"),
            "https://q.example/verify/S-1?t=abc#p=UUFUWVNV&s=SIG");
}

class OfflineTest : public ::testing::Test {
 protected:
  std::string url_ =
      "https://qatysu.example.kz/verify/LSG-EKZ-IP-2019-000123?t=AAAAAAAAAAAAAAAAAAAAAA";
  SigningKey key_ = sampleKey();
  std::string payload_ = canonicalPayload(sampleFields());
  std::string qr_ = qrPayload(url_, payload_, key_.sign(payload_));
};

TEST_F(OfflineTest, AGenuinePayloadIsValid) {
  const auto result = verifyOffline(qr_, key_.publicKey());
  EXPECT_TRUE(result.valid) << result.problem;
  EXPECT_EQ(result.problem, "");
  EXPECT_EQ(result.fields, sampleFields());
  EXPECT_EQ(result.verify_url, url_);
  // A scanner's trailing line end does not matter.
  EXPECT_TRUE(verifyOffline(qr_ + "\n", key_.publicKey() + "\n").valid);
}

TEST_F(OfflineTest, AChangedNameIsRejectedButStillShown) {
  SignedFields forged = sampleFields();
  forged.full_name = "Бауыржан Сейітов";
  const std::string signature = qr_.substr(qr_.find("&s=") + 3);
  const auto result =
      verifyOffline(qrPayload(url_, canonicalPayload(forged), signature), key_.publicKey());
  EXPECT_FALSE(result.valid);
  EXPECT_NE(result.problem.find("signature does not match"), std::string::npos) << result.problem;
  ASSERT_TRUE(result.fields);
  EXPECT_EQ(result.fields->full_name, "Бауыржан Сейітов");
}

TEST_F(OfflineTest, AnotherKeyIsRejected) {
  const auto result = verifyOffline(qr_, SigningKey::fromSeed(std::string(32, '\x09')).publicKey());
  EXPECT_FALSE(result.valid);
  EXPECT_NE(result.problem.find("signature"), std::string::npos);
}

TEST_F(OfflineTest, TheUrlMustNameTheSignedSerial) {
  const std::string other_url = "https://qatysu.example.kz/verify/LSG-EKZ-IP-2019-000124?t=x";
  const auto result =
      verifyOffline(qrPayload(other_url, payload_, key_.sign(payload_)), key_.publicKey());
  EXPECT_FALSE(result.valid);
  EXPECT_NE(result.problem.find("LSG-EKZ-IP-2019-000124"), std::string::npos) << result.problem;

  const auto no_path = verifyOffline(
      qrPayload("https://evil.example/", payload_, key_.sign(payload_)), key_.publicKey());
  EXPECT_FALSE(no_path.valid);
  EXPECT_NE(no_path.problem.find("verification URL"), std::string::npos);
}

TEST_F(OfflineTest, MalformedTextGetsAClearProblem) {
  struct Case {
    std::string text;
    std::string expected;
  };
  const std::string signature = qr_.substr(qr_.find("&s=") + 3);
  const std::vector<Case> cases = {
      {url_, "no signed payload"},
      {url_ + "#p=abc", "exactly"},
      {url_ + "#s=" + signature, "exactly"},
      {url_ + "#p=@@@&s=" + signature, "not valid base64url"},
      {url_ + "#p=" + base64UrlEncode("hello") + "&s=" + signature, "not a Qatysu certificate"},
      {url_ + "#p=" + base64UrlEncode(payload_) + "&s=xyz", "not a base64url Ed25519 signature"},
      {qr_ + "&x=1", "exactly"},
  };
  for (const auto& c : cases) {
    const auto result = verifyOffline(c.text, key_.publicKey());
    EXPECT_FALSE(result.valid) << c.text;
    EXPECT_NE(result.problem.find(c.expected), std::string::npos)
        << c.text << " -> " << result.problem;
  }
  const auto bad_key = verifyOffline(qr_, "not-a-key");
  EXPECT_FALSE(bad_key.valid);
  EXPECT_NE(bad_key.problem.find("public key"), std::string::npos);
}

}  // namespace
}  // namespace certificates
