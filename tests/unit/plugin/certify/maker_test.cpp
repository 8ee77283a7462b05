#include "plugin/certify/maker.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "certificates/signing.hpp"
#include "courses/error.hpp"

namespace plugin::certify {
namespace {

constexpr const char* kBaseUrl = "https://qatysu.example.kz";

courses::Certificate sampleCertificate() {
  courses::Certificate certificate;
  certificate.id = 7;
  certificate.serial = "LSG-EKZ-IP-2019-000123";
  certificate.language = courses::CertificateLanguage::all;
  certificate.full_name = "Әлия Қасымова";
  certificate.track = "inclusive_planning";
  certificate.course_title = {"Инклюзивті жоспарлау", "Инклюзивное планирование",
                              "Inclusive planning"};
  certificate.hours = 24;
  certificate.starts_on = "2019-03-04";
  certificate.ends_on = "2019-03-06";
  certificate.place = "Нұра кенті, мәдениет үйі";
  certificate.locality = {"Нұра", "Нура", "Nura"};
  certificate.sessions_attended = 7;
  certificate.sessions_total = 8;
  certificate.trainers = {"Гүлнар Сәрсенова", "Dmitry Orlov"};
  certificate.organisations = {{"ARGO қауымдастығы", "Ассоциация ARGO", "ARGO association"}};
  certificate.issuer = certificate.organisations[0];
  certificate.issued_at = "2019-03-07T10:15:00Z";
  return certificate;
}

certificates::SigningKey sampleKey() {
  return certificates::SigningKey::fromSeed(std::string(32, '\x11'));
}

TEST(VerifyUrl, JoinsBaseSerialAndToken) {
  EXPECT_EQ(verifyUrl("https://q.example", "LSG-EKZ-IP-2019-000123", "abc_-DEF"),
            "https://q.example/verify/LSG-EKZ-IP-2019-000123?t=abc_-DEF");
  EXPECT_EQ(verifyUrl("https://q.example/", "S-1", "t"), "https://q.example/verify/S-1?t=t");
  EXPECT_EQ(verifyUrl("http://h", "A B", "x&y"), "http://h/verify/A%20B?t=x%26y");
  // Without a token (certificates rendered by the CLI) the URL ends at the escaped serial.
  EXPECT_EQ(verifyUrl("https://q.example//", "ЖК 1/2?", ""),
            "https://q.example/verify/%D0%96%D0%9A%201%2F2%3F");
}

TEST(SignedFields, UseKazakhForAllThreeLanguages) {
  const auto fields = signedFields(sampleCertificate());
  EXPECT_EQ(fields.serial, "LSG-EKZ-IP-2019-000123");
  EXPECT_EQ(fields.full_name, "Әлия Қасымова");
  EXPECT_EQ(fields.course_title, "Инклюзивті жоспарлау");
  EXPECT_EQ(fields.issuer, "ARGO қауымдастығы");
  EXPECT_EQ(fields.hours, "24");
  EXPECT_EQ(fields.starts_on, "2019-03-04");
  EXPECT_EQ(fields.ends_on, "2019-03-06");
}

TEST(SignedFields, UseTheCertificatesOwnLanguage) {
  auto certificate = sampleCertificate();
  certificate.language = courses::CertificateLanguage::ru;
  EXPECT_EQ(signedFields(certificate).course_title, "Инклюзивное планирование");
  EXPECT_EQ(signedFields(certificate).issuer, "Ассоциация ARGO");
  certificate.language = courses::CertificateLanguage::en;
  EXPECT_EQ(signedFields(certificate).course_title, "Inclusive planning");
  certificate.course_title.en.clear();  // a missing translation falls back to Kazakh
  EXPECT_EQ(signedFields(certificate).course_title, "Инклюзивті жоспарлау");
}

TEST(SignedFields, HoursHaveNoTrailingZeros) {
  auto certificate = sampleCertificate();
  const std::vector<std::pair<double, std::string>> cases = {
      {24, "24"}, {7.5, "7.5"}, {7.25, "7.25"}, {0.1, "0.1"}, {100, "100"}, {0, "0"}};
  for (const auto& [hours, text] : cases) {
    certificate.hours = hours;
    EXPECT_EQ(signedFields(certificate).hours, text) << hours;
  }
}

TEST(ToContent, CopiesTheCertificateWithLayoutAndIssueDate) {
  auto certificate = sampleCertificate();
  const auto content = toContent(certificate, "URL", "QR");
  EXPECT_EQ(content.layout, certificates::Layout::trilingual);
  EXPECT_EQ(content.serial, certificate.serial);
  EXPECT_EQ(content.full_name, certificate.full_name);
  EXPECT_EQ(content.course_title.ru, "Инклюзивное планирование");
  EXPECT_EQ(content.hours, 24);
  EXPECT_EQ(content.place, certificate.place);
  EXPECT_EQ(content.locality.en, "Nura");
  EXPECT_EQ(content.sessions_attended, 7);
  EXPECT_EQ(content.sessions_total, 8);
  EXPECT_EQ(content.trainers, certificate.trainers);
  ASSERT_EQ(content.organisations.size(), 1u);
  EXPECT_EQ(content.organisations[0].kk, "ARGO қауымдастығы");
  EXPECT_EQ(content.issuer.en, "ARGO association");
  EXPECT_EQ(content.issued_on, "2019-03-07");
  EXPECT_EQ(content.verify_url, "URL");
  EXPECT_EQ(content.qr_payload, "QR");
  certificate.language = courses::CertificateLanguage::kk;
  EXPECT_EQ(toContent(certificate, "", "").layout, certificates::Layout::kk);
  certificate.language = courses::CertificateLanguage::ru;
  EXPECT_EQ(toContent(certificate, "", "").layout, certificates::Layout::ru);
  certificate.language = courses::CertificateLanguage::en;
  EXPECT_EQ(toContent(certificate, "", "").layout, certificates::Layout::en);
}

class MakerTest : public ::testing::Test {
 protected:
  certificates::SigningKey key_ = sampleKey();
  PdfCertificateMaker maker_{certificates::FontSet::dejavu(), key_, kBaseUrl};
};

TEST_F(MakerTest, TokensAre22CharactersAndNeverRepeat) {
  const auto certificate = sampleCertificate();
  std::set<std::string> tokens;
  for (int i = 0; i < 3; ++i) {
    const auto artifacts = maker_.make(certificate);
    EXPECT_EQ(artifacts.verification_token.size(), 22u);
    EXPECT_TRUE(certificates::base64UrlDecode(artifacts.verification_token));
    tokens.insert(artifacts.verification_token);
  }
  EXPECT_EQ(tokens.size(), 3u);
}

TEST_F(MakerTest, SignsTheCanonicalPayloadOfTheSignedFields) {
  const auto certificate = sampleCertificate();
  const auto artifacts = maker_.make(certificate);
  EXPECT_TRUE(
      certificates::verifySignature(certificates::canonicalPayload(signedFields(certificate)),
                                    artifacts.signature, key_.publicKey()));
}

TEST_F(MakerTest, TheQrPayloadVerifiesOfflineAndATamperedOneDoesNot) {
  auto certificate = sampleCertificate();
  const auto artifacts = maker_.make(certificate);
  // The QR text as the API and the PDF carry it, rebuilt from what is stored.
  const std::string url = verifyUrl(kBaseUrl, certificate.serial, artifacts.verification_token);
  const std::string payload = certificates::canonicalPayload(signedFields(certificate));
  const std::string qr = certificates::qrPayload(url, payload, artifacts.signature);

  const auto genuine = certificates::verifyOffline(qr, key_.publicKey());
  EXPECT_TRUE(genuine.valid) << genuine.problem;
  ASSERT_TRUE(genuine.fields);
  EXPECT_EQ(genuine.fields->full_name, "Әлия Қасымова");
  EXPECT_EQ(genuine.verify_url, url);

  certificate.full_name = "Әлия Қасымовa";
  const std::string forged = certificates::qrPayload(
      url, certificates::canonicalPayload(signedFields(certificate)), artifacts.signature);
  EXPECT_FALSE(certificates::verifyOffline(forged, key_.publicKey()).valid);

  const auto other_key = certificates::SigningKey::fromSeed(std::string(32, '\x12'));
  EXPECT_FALSE(certificates::verifyOffline(qr, other_key.publicKey()).valid);
}

TEST_F(MakerTest, ThePdfCarriesAStrongEtagOfItsBytes) {
  const auto artifacts = maker_.make(sampleCertificate());
  EXPECT_TRUE(artifacts.pdf.starts_with("%PDF-"));
  EXPECT_TRUE(std::regex_match(artifacts.etag, std::regex("\"[0-9a-f]{32}\""))) << artifacts.etag;
  // The same bytes give the same tag; a different certificate a different one.
  auto other = sampleCertificate();
  other.serial = "LSG-EKZ-IP-2019-000124";
  EXPECT_NE(maker_.make(other).etag, artifacts.etag);
}

TEST_F(MakerTest, ANameTheFontsCannotDrawIsUnprocessableNamingTheField) {
  auto certificate = sampleCertificate();
  certificate.full_name = "Әлия 中";  // DejaVu Sans has no CJK ideographs
  try {
    maker_.make(certificate);
    FAIL() << "rendered a name the fonts cannot draw";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::unprocessable);
    ASSERT_EQ(error.fields().size(), 1u);
    EXPECT_EQ(error.fields()[0].field, "full_name");
  }
}

TEST_F(MakerTest, ALineBreakInASignedFieldIsUnprocessable) {
  auto certificate = sampleCertificate();
  certificate.full_name = "Әлия\nҚасымова";
  try {
    maker_.make(certificate);
    FAIL() << "signed a name with a line break";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::unprocessable);
    ASSERT_EQ(error.fields().size(), 1u);
    EXPECT_EQ(error.fields()[0].field, "full_name");
  }
}

TEST_F(MakerTest, ServesSeveralThreadsAtOnce) {
  constexpr int kThreads = 4;
  std::vector<std::string> tokens(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      auto certificate = sampleCertificate();
      certificate.serial = "LSG-EKZ-IP-2019-00010" + std::to_string(i);
      for (int round = 0; round < 3; ++round) {
        const auto artifacts = maker_.make(certificate);
        if (!artifacts.pdf.starts_with("%PDF-")) return;
        tokens[static_cast<std::size_t>(i)] = artifacts.verification_token;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(std::set<std::string>(tokens.begin(), tokens.end()).size(),
            static_cast<std::size_t>(kThreads));
}

}  // namespace
}  // namespace plugin::certify
