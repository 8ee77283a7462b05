#include "plugin/api/json_certificates.hpp"

#include "certificates/signing.hpp"
#include "json_reader.hpp"
#include "plugin/certify/maker.hpp"

namespace plugin::api {

namespace json = boost::json;
using namespace json_reader;

IssueRequest issueRequestFromJson(const json::value& body, bool allow_waiver) {
  Problems problems;
  const ObjectReader reader = allow_waiver
                                  ? ObjectReader(body, "", problems, {"language", "waiver_reason"})
                                  : ObjectReader(body, "", problems, {"language"});
  IssueRequest request;
  if (const auto* v = reader.get("language", false); v != nullptr && !v->is_null()) {
    request.language = readCertificateLanguage(*v, "language", problems);
  }
  if (allow_waiver) request.waiver_reason = reader.nullableString("waiver_reason");
  problems.throwIfAny();
  return request;
}

std::string revokeReasonFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"reason"});
  std::string reason = reader.string("reason");
  problems.throwIfAny();
  return reason;
}

json::object certificateToJson(const courses::Certificate& certificate,
                               std::string_view public_base_url) {
  const std::string verify_url =
      certify::verifyUrl(public_base_url, certificate.serial, certificate.verification_token);
  const std::string payload = certificates::canonicalPayload(certify::signedFields(certificate));
  json::array trainers;
  for (const auto& trainer : certificate.trainers) trainers.push_back(json::value(trainer));
  return json::object{
      {"id", certificate.id},
      {"serial", certificate.serial},
      {"status", courses::toString(certificate.status)},
      {"enrolment_id", certificate.enrolment_id},
      {"participant_id", certificate.participant_id},
      {"cohort_id", certificate.cohort_id},
      {"course_id", certificate.course_id},
      {"programme_id", certificate.programme_id},
      {"language", courses::toString(certificate.language)},
      {"full_name", certificate.full_name},
      {"track", certificate.track},
      {"course_title", toJson(certificate.course_title)},
      {"hours", hoursValue(certificate.hours)},
      {"starts_on", certificate.starts_on},
      {"ends_on", certificate.ends_on},
      {"place", certificate.place},
      {"locality", toJson(certificate.locality)},
      {"sessions_attended", certificate.sessions_attended},
      {"sessions_total", certificate.sessions_total},
      {"trainers", std::move(trainers)},
      {"organisations", localizedArray(certificate.organisations)},
      {"issuer", toJson(certificate.issuer)},
      {"waiver_reason", optionalValue(certificate.waiver_reason)},
      {"revoked_reason", optionalValue(certificate.revoked_reason)},
      {"revoked_at", optionalTimestamp(certificate.revoked_at)},
      {"issued_by", certificate.issued_by},
      {"issued_at", certificate.issued_at},
      {"verify_url", verify_url},
      {"qr_payload", certificates::qrPayload(verify_url, payload, certificate.signature)},
      {"pdf_url", "/api/v1/certificates/" + std::to_string(certificate.id) + "/pdf"},
      {"pdf_size", certificate.pdf_size}};
}

json::object certificatesToJson(const std::vector<courses::Certificate>& certificates,
                                std::string_view public_base_url) {
  json::array items;
  items.reserve(certificates.size());
  for (const auto& certificate : certificates) {
    items.push_back(certificateToJson(certificate, public_base_url));
  }
  return json::object{{"items", std::move(items)}};
}

namespace {

json::object eligibilityItem(const courses::Eligibility& item) {
  return json::object{{"enrolment_id", item.enrolment.id},
                      {"participant_id", item.enrolment.participant_id},
                      {"participant_name", item.enrolment.participant_name},
                      {"attended", item.result.attended},
                      {"sessions_total", item.result.sessions_total},
                      {"required", item.result.required},
                      {"completed", item.result.completed},
                      {"reason", item.reason},
                      {"certificate_id", optionalValue(item.valid_certificate_id)}};
}

}  // namespace

json::object cohortIssueToJson(const courses::CertificateService::CohortIssue& issue,
                               std::string_view public_base_url) {
  json::array not_eligible;
  for (const auto& item : issue.not_eligible) {
    json::object entry = eligibilityItem(item);
    entry.erase("completed");
    entry.erase("certificate_id");
    not_eligible.push_back(std::move(entry));
  }
  return json::object{{"issued", certificatesToJson(issue.issued, public_base_url).at("items")},
                      {"already", certificatesToJson(issue.already, public_base_url).at("items")},
                      {"not_eligible", std::move(not_eligible)}};
}

json::object eligibilityToJson(const std::vector<courses::Eligibility>& items) {
  json::array array;
  array.reserve(items.size());
  for (const auto& item : items) array.push_back(eligibilityItem(item));
  return json::object{{"items", std::move(array)}};
}

json::object auditToJson(const std::vector<courses::CertificateAuditEntry>& entries) {
  json::array items;
  items.reserve(entries.size());
  for (const auto& entry : entries) {
    items.push_back(json::object{{"action", entry.action},
                                 {"account_id", entry.account_id},
                                 {"at", entry.at},
                                 {"reason", optionalValue(entry.reason)}});
  }
  return json::object{{"items", std::move(items)}};
}

json::object verificationToJson(const courses::Certificate& certificate) {
  return json::object{{"status", courses::toString(certificate.status)},
                      {"serial", certificate.serial},
                      {"full_name", certificate.full_name},
                      {"course_title", toJson(certificate.course_title)},
                      {"starts_on", certificate.starts_on},
                      {"ends_on", certificate.ends_on},
                      {"issuer", toJson(certificate.issuer)},
                      {"revoked_at", optionalTimestamp(certificate.revoked_at)}};
}

json::object publicKeyToJson(const std::string& public_key, const std::string& key_id) {
  return json::object{{"algorithm", "Ed25519"}, {"public_key", public_key}, {"key_id", key_id}};
}

}  // namespace plugin::api
