#pragma once
// JSON mapping of certificates, their eligibility, audit and public verification (the reading
// rules: plugin/api/json.hpp).

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "courses/model.hpp"
#include "courses/services.hpp"
#include "plugin/api/json_common.hpp"
#include "plugin/api/json_text.hpp"

namespace plugin::api {

/// POST /cohorts/{id}/certificates {"language"?} and POST /enrolments/{id}/certificate
/// {"language"?,"waiver_reason"?}.
struct IssueRequest {
  std::optional<courses::CertificateLanguage> language;
  std::optional<std::string> waiver_reason;
};
/// `allow_waiver` says whether "waiver_reason" is a known field (one enrolment only).
IssueRequest issueRequestFromJson(const boost::json::value& body, bool allow_waiver);
/// POST /certificates/{id}/revoke {"reason"}.
std::string revokeReasonFromJson(const boost::json::value& body);

/// The certificate as the API shows it, with "verify_url" and "qr_payload" made for
/// `public_base_url` (no trailing slash) and "pdf_url". Never the token or signature on their
/// own (the verify URL and QR payload carry them, as the printed page does).
boost::json::object certificateToJson(const courses::Certificate& certificate,
                                      std::string_view public_base_url);
/// {"items":[certificate...]}
boost::json::object certificatesToJson(const std::vector<courses::Certificate>& certificates,
                                       std::string_view public_base_url);
/// {"issued":[...],"already":[...],"not_eligible":[{"enrolment_id","participant_id",
/// "participant_name","attended","sessions_total","required","reason"}]}
boost::json::object cohortIssueToJson(const courses::CertificateService::CohortIssue& issue,
                                      std::string_view public_base_url);
/// {"items":[{"enrolment_id","participant_id","participant_name","attended","sessions_total",
/// "required","completed","reason","certificate_id"|null}]}
boost::json::object eligibilityToJson(const std::vector<courses::Eligibility>& items);
/// {"items":[{"action","account_id","at","reason"|null}]}
boost::json::object auditToJson(const std::vector<courses::CertificateAuditEntry>& entries);
/// What the public may learn from a serial and token: {"status","serial","full_name",
/// "course_title","starts_on","ends_on","issuer","revoked_at"|null}.
boost::json::object verificationToJson(const courses::Certificate& certificate);
/// {"algorithm":"Ed25519","public_key","key_id"}
boost::json::object publicKeyToJson(const std::string& public_key, const std::string& key_id);

}  // namespace plugin::api
