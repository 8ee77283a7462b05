#pragma once
// Mapping between the domain's structs and the JSON wire format (snake_case, ids as numbers).
//
// Reading is strict: malformed JSON, nesting deeper than 32, invalid UTF-8, a key repeated in one
// object, an unknown field or a value of the wrong JSON type throw RequestError (400
// "invalid-request", naming the field); missing required fields, out-of-range integers, unknown
// enum names and strings over 4096 bytes throw courses::Error(invalid_argument) listing every such
// field (422 "invalid-field"). Lengths and shapes of the values themselves are the domain's to
// check.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "courses/account_service.hpp"
#include "courses/error.hpp"
#include "courses/model.hpp"
#include "courses/services.hpp"
#include "plugin/api/auth.hpp"

namespace plugin::api {

using StaffAccount = courses::NewAccount;
using AccountEdit = courses::AccountEdit;

/// JSON text of `value`, as boost::json::serialize writes it except for decimals: those are written
/// in the shortest form that reads back as the same double, without an exponent where a person
/// would write none (0.823, 24, 3290.5 rather than 8.23E-1, 2.4E1, 3.2905E3). A non-finite double
/// (never produced by the mapping) becomes null.
std::string toJsonText(const boost::json::value& value);

/// Deepest nesting of arrays and objects a request body may have.
inline constexpr std::size_t kMaxJsonDepth = 32;
/// Longest string value (in bytes) a request body may carry.
inline constexpr std::size_t kMaxJsonStringBytes = 4096;
/// Largest id accepted on the wire: ids must survive a round trip through a JavaScript number.
inline constexpr courses::Id kMaxWireId = 9007199254740992;  // 2^53

/// Parses a request body. Throws RequestError(400) when it is not one well-formed JSON value.
boost::json::value parseJson(std::string_view text);

// ---- reading request bodies --------------------------------------------------------------------

/// POST /auth/login {"login","password","session"?}. "session": "cookie" asks for a cookie
/// session (the token goes into an HttpOnly cookie, never into the body); "bearer" or no
/// "session" for a bearer token.
struct LoginRequest {
  std::string login;
  std::string password;
  bool cookie_session = false;
};
LoginRequest loginFromJson(const boost::json::value& body);

/// POST /programmes (no id). organisations defaults to [], youth to {"from":14,"to":35}.
courses::Programme programmeFromJson(const boost::json::value& body);
/// POST /localities (no id).
courses::Locality localityFromJson(const boost::json::value& body);
/// POST /courses (no id). `rule` fields other than min_attendance_percent default to false;
/// gives_certificate defaults to true, certificate_language to "all".
courses::Course courseFromJson(const boost::json::value& body);
/// POST /cohorts (no id). trainer_ids defaults to empty.
courses::Cohort cohortFromJson(const boost::json::value& body);
/// POST /cohorts/{id}/sessions: starts_at, duration_minutes, topic (the cohort comes from the
/// path).
courses::Session sessionFromJson(const boost::json::value& body, courses::Id cohort_id);
/// POST /participants: the person plus optional "same_person" or "not_duplicate".
courses::ParticipantService::Registration registrationFromJson(const boost::json::value& body);
/// PATCH /participants/{id}: merge-patch of the listed fields; null clears phone or e-mail.
courses::ParticipantPatch participantPatchFromJson(const boost::json::value& body);
/// POST /cohorts/{id}/enrolments: the participant id.
courses::Id enrolmentRequestFromJson(const boost::json::value& body);
/// PUT /sessions/{id}/attendance: {"marks":[{"enrolment_id","status"}]}.
std::vector<courses::AttendanceMark> marksFromJson(const boost::json::value& body);

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
/// POST /auth/code {"code","session"?}; "session" as for POST /auth/login.
struct CodeLoginRequest {
  std::string code;
  bool cookie_session = false;
};
CodeLoginRequest accessCodeFromJson(const boost::json::value& body);
/// PUT /me/language {"language":"kk"|"ru"|"en"}; anything else is Error(invalid_argument)
/// naming "language".
courses::Language languageFromJson(const boost::json::value& body);
/// POST /accounts {"login","display_name","role":"admin"|"trainer","password"}.
StaffAccount staffAccountFromJson(const boost::json::value& body);
/// PATCH /accounts/{id} {"display_name"?,"disabled"?,"password"?} (null means absent).
AccountEdit accountEditFromJson(const boost::json::value& body);
/// PUT /me/password {"password","current_password"?}.
struct PasswordChange {
  std::string password;
  std::optional<std::string> current_password;
};
PasswordChange passwordChangeFromJson(const boost::json::value& body);

/// Largest target value accepted.
inline constexpr long long kMaxTargetValue = 1000000000;
/// PUT /programmes/{id}/targets {"targets":[{"measure","track"?|null,"value"}]}: every target of
/// the programme. Whether a measure may have a target is the domain's to check.
std::vector<courses::Target> targetsFromJson(const boost::json::value& body);

// ---- writing responses -------------------------------------------------------------------------

boost::json::object toJson(const courses::LocalizedText& text);
boost::json::object toJson(const courses::Programme& programme);
boost::json::object toJson(const courses::Locality& locality);
boost::json::object toJson(const courses::Course& course);
boost::json::object toJson(const courses::Cohort& cohort);
/// A possible duplicate: "id" when the actor may see the person, else "confirmation" (either one
/// goes into same_person), with "full_name", "birth_year" and "locality_id".
boost::json::object toJson(const courses::DuplicateCandidate& candidate);
/// Who confirmed an existing person: "account_id", "cohort_id" (or null), "linked_at".
boost::json::object toJson(const courses::ParticipantLink& link);
boost::json::object toJson(const courses::Session& session);
boost::json::object toJson(const courses::Participant& participant);
boost::json::object toJson(const courses::Enrolment& enrolment);
/// {"id","login","display_name","role","disabled","language"|null} and "participant_id" for a
/// learner's account: never any secret.
boost::json::object toJson(const courses::Account& account);
/// {"account","participant"|null,"enrolments"}
boost::json::object toJson(const courses::Profile& profile);
/// {"token","expires_at","account"}
boost::json::object loginResultToJson(const std::string& token,
                                      const courses::Timestamp& expires_at,
                                      const courses::Account& account);
/// {"session_id","rows":[{"enrolment_id","participant_id","participant_name","status"|null,
/// "marked_by"|null,"marked_at"|null}]}
boost::json::object sheetToJson(courses::Id session_id, const std::vector<courses::SheetRow>& rows);
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
/// {"login","code","expires_at"}
boost::json::object accessCodeToJson(const std::string& login, const std::string& code,
                                     const courses::Timestamp& expires_at);
/// {"algorithm":"Ed25519","public_key","key_id"}
boost::json::object publicKeyToJson(const std::string& public_key, const std::string& key_id);
/// The totals report as docs/API.md ("Totals") describes it: {"programme":{"id","code","title"}
/// |null,"period":{"from","to"},"track","by","age_bands","suppressed_below","overlapping","notes",
/// "total","dimensions","margins","cells","targets"}. Measures hidden by suppression or not
/// applicable are null; hidden ones are also listed in "hidden". `programme` is the one asked
/// for; `notes` are sentences for the reader.
boost::json::object totalsToJson(const courses::TotalsReport& report,
                                 const std::optional<courses::Programme>& programme,
                                 const std::vector<std::string>& notes);
/// {"programme_id","targets":[{"measure","track"|null,"value"}]}
boost::json::object targetsToJson(courses::Id programme_id,
                                  const std::vector<courses::Target>& targets);
/// A vulnerable-group set as an array of names in declaration order.
boost::json::array vulnerableToJson(courses::VulnerableSet set);

/// {"items":[...]} for a whole collection.
template <typename T>
boost::json::object itemsToJson(const std::vector<T>& items) {
  boost::json::array array;
  array.reserve(items.size());
  for (const auto& item : items) array.push_back(toJson(item));
  return boost::json::object{{"items", std::move(array)}};
}

/// {"items":[...],"next_after":ID|null} for one page.
template <typename T>
boost::json::object pageToJson(const courses::Page<T>& page) {
  boost::json::object object = itemsToJson(page.items);
  if (page.next_after) {
    object["next_after"] = *page.next_after;
  } else {
    object["next_after"] = nullptr;
  }
  return object;
}

}  // namespace plugin::api
