#include "plugin/api/json_certificates.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <optional>
#include <string>

#include "json_fixture.hpp"
#include "plugin/api/json_accounts.hpp"

namespace plugin::api {
namespace {

namespace json = boost::json;
using courses::ErrorCode;
using namespace json_fixture;

courses::Certificate sampleCertificate() {
  courses::Certificate c;
  c.id = 5;
  c.serial = "LSG-EKZ-IP-2019-000123";
  c.verification_token = "AbCdEfGhIjKlMnOpQrStUv";
  c.enrolment_id = 8;
  c.participant_id = 21;
  c.cohort_id = 3;
  c.course_id = 2;
  c.programme_id = 1;
  c.language = courses::CertificateLanguage::all;
  c.full_name = "Әлия Қасымова";
  c.track = "inclusive_planning";
  c.course_title = {"Жоспарлау", "Планирование", "Planning"};
  c.hours = 24;
  c.starts_on = "2019-04-02";
  c.ends_on = "2019-04-06";
  c.place = "Нұра";
  c.locality = {"Нұра", "Нура", "Nura"};
  c.sessions_attended = 7;
  c.sessions_total = 8;
  c.trainers = {"Дәурен Сейітов"};
  c.organisations = {{"АРГО", "АРГО", "ARGO"}};
  c.issuer = {"АРГО", "АРГО", "ARGO"};
  c.issued_by = 2;
  c.issued_at = "2019-04-07T10:00:00Z";
  c.signature = "c2lnbmF0dXJl";
  c.etag = "\"00112233445566778899aabbccddeeff\"";
  c.pdf_size = 24000;
  return c;
}

TEST(JsonCertificate, CarriesVerifyUrlAndQrPayloadButNoSecretsOnTheirOwn) {
  const json::object wire = certificateToJson(sampleCertificate(), "https://qatysu.example.kz");
  EXPECT_EQ(wire.at("verify_url").as_string(),
            "https://qatysu.example.kz/verify/LSG-EKZ-IP-2019-000123?t=AbCdEfGhIjKlMnOpQrStUv");
  const std::string qr(wire.at("qr_payload").as_string());
  EXPECT_EQ(qr.rfind(std::string(wire.at("verify_url").as_string()) + "#p=", 0), 0u);
  EXPECT_NE(qr.find("&s=c2lnbmF0dXJl"), std::string::npos);
  EXPECT_EQ(wire.at("pdf_url").as_string(), "/api/v1/certificates/5/pdf");
  EXPECT_EQ(wire.at("status").as_string(), "valid");
  EXPECT_EQ(wire.at("language").as_string(), "all");
  EXPECT_EQ(json::serialize(wire.at("hours")), "24");
  EXPECT_TRUE(wire.at("waiver_reason").is_null());
  EXPECT_TRUE(wire.at("revoked_at").is_null());
  EXPECT_EQ(wire.at("trainers").at(0).as_string(), "Дәурен Сейітов");
  EXPECT_EQ(wire.at("organisations").at(0).at("en").as_string(), "ARGO");
  EXPECT_FALSE(wire.contains("verification_token"));
  EXPECT_FALSE(wire.contains("signature"));
  EXPECT_FALSE(wire.contains("etag"));
  EXPECT_EQ(wire.size(), 31u);
}

TEST(JsonCertificate, VerificationSaysOnlyWhatThePublicMaySee) {
  courses::Certificate revoked = sampleCertificate();
  revoked.status = courses::CertificateStatus::revoked;
  revoked.revoked_at = "2020-01-01T00:00:00Z";
  revoked.revoked_reason = "issued by mistake";
  const json::object wire = verificationToJson(revoked);
  EXPECT_EQ(wire.size(), 8u);
  EXPECT_EQ(wire.at("status").as_string(), "revoked");
  EXPECT_EQ(wire.at("revoked_at").as_string(), "2020-01-01T00:00:00Z");
  EXPECT_FALSE(wire.contains("revoked_reason"));
  EXPECT_FALSE(wire.contains("participant_id"));
}

TEST(JsonCertificate, EligibilityIssueAndAudit) {
  courses::Eligibility row;
  row.enrolment.id = 8;
  row.enrolment.participant_id = 21;
  row.enrolment.participant_name = "Борис Ёлкин";
  row.result = {8, 5, 7, false};
  row.reason = "attended 5 of 8 sessions, needs 7";
  const json::object items = eligibilityToJson({row});
  const json::object& item = items.at("items").at(0).as_object();
  EXPECT_EQ(item.at("attended").as_int64(), 5);
  EXPECT_EQ(item.at("required").as_int64(), 7);
  EXPECT_FALSE(item.at("completed").as_bool());
  EXPECT_TRUE(item.at("certificate_id").is_null());

  courses::CertificateService::CohortIssue issue;
  issue.issued.push_back(sampleCertificate());
  issue.not_eligible.push_back(row);
  const json::object wire = cohortIssueToJson(issue, "http://127.0.0.1:8080");
  EXPECT_EQ(wire.at("issued").as_array().size(), 1u);
  EXPECT_TRUE(wire.at("already").as_array().empty());
  const json::object& refused = wire.at("not_eligible").at(0).as_object();
  EXPECT_EQ(refused.at("reason").as_string(), "attended 5 of 8 sessions, needs 7");
  EXPECT_EQ(refused.size(), 7u);

  const json::object audit = auditToJson(
      {{"issued_with_waiver", 1, "2019-04-07T10:00:00Z", std::string("was ill, did the work")}});
  EXPECT_EQ(audit.at("items").at(0).at("reason").as_string(), "was ill, did the work");
}

TEST(JsonCertificate, IssueRevokeCodeAndPasswordBodies) {
  EXPECT_FALSE(issueRequestFromJson(parseJson("{}"), false).language);
  EXPECT_EQ(issueRequestFromJson(parseJson(R"({"language":"en"})"), false).language,
            courses::CertificateLanguage::en);
  EXPECT_NE(badRequestDetail(R"({"waiver_reason":"x"})",
                             [](const json::value& v) { return issueRequestFromJson(v, false); }),
            "");
  const IssueRequest waived =
      issueRequestFromJson(parseJson(R"({"waiver_reason":"was ill"})"), true);
  EXPECT_EQ(waived.waiver_reason, std::optional<std::string>("was ill"));
  EXPECT_EQ(revokeReasonFromJson(parseJson(R"({"reason":"mistake"})")), "mistake");
  EXPECT_TRUE(hasField(fieldProblems("{}", revokeReasonFromJson), "reason"));
  EXPECT_EQ(accessCodeFromJson(parseJson(R"({"code":"ABCDE-FGHJK"})")).code, "ABCDE-FGHJK");
  const PasswordChange change =
      passwordChangeFromJson(parseJson(R"({"password":"p","current_password":null})"));
  EXPECT_FALSE(change.current_password);
}

}  // namespace
}  // namespace plugin::api
