#include "plugin/api/json_rights.hpp"

#include <boost/json/array.hpp>

#include "json_reader.hpp"
#include "plugin/api/json_accounts.hpp"
#include "plugin/api/json_catalogue.hpp"
#include "plugin/api/json_certificates.hpp"
#include "plugin/api/json_changes.hpp"
#include "plugin/api/json_cohorts.hpp"
#include "plugin/api/json_participants.hpp"

namespace plugin::api {

namespace json = boost::json;
using json_reader::ObjectReader;
using json_reader::optionalTimestamp;
using json_reader::optionalValue;
using json_reader::Problems;

std::string erasureReasonFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"reason"});
  std::string reason = reader.string("reason");
  problems.throwIfAny();
  return reason;
}

std::optional<std::string> consentReasonFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"reason"});
  std::optional<std::string> reason = reader.nullableString("reason");
  problems.throwIfAny();
  return reason;
}

std::optional<int> retentionFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"retention_years"});
  std::optional<int> years;
  if (const auto* value = reader.get("retention_years", true); value && !value->is_null()) {
    years = static_cast<int>(json_reader::readInteger(*value, "retention_years", 0,
                                                      courses::kMaxRetentionYears, problems));
  }
  problems.throwIfAny();
  return years;
}

json::object toJson(const courses::DataRightsState& state) {
  return json::object{{"participant_id", state.participant_id},
                      {"version", state.version},
                      {"erased_at", optionalTimestamp(state.erased_at)},
                      {"consent_withdrawn_at", optionalTimestamp(state.consent_withdrawn_at)},
                      {"merged_into", optionalValue(state.merged_into)}};
}

json::object toJson(const courses::ErasureOutcome& outcome) {
  return json::object{{"state", toJson(outcome.state)},
                      {"enrolments_kept", outcome.enrolments_kept},
                      {"certificates_revoked", outcome.certificates_revoked},
                      {"certificates_blanked", outcome.certificates_blanked},
                      {"account_closed", outcome.closed_account_id.has_value()},
                      {"history_values_blanked", outcome.history_values_blanked},
                      {"access_rows_removed", outcome.access_rows_removed}};
}

json::object toJson(const courses::RetentionSetting& setting) {
  json::object out{{"programme_id", setting.programme_id}};
  if (setting.retention_years) {
    out["retention_years"] = *setting.retention_years;
  } else {
    out["retention_years"] = nullptr;
  }
  return out;
}

json::object exportToJson(const courses::PersonExport& data, std::string_view public_base_url) {
  json::array enrolments;
  for (const auto& item : data.enrolments) {
    json::object enrolment = toJson(item.enrolment);
    enrolment["cohort"] = toJson(item.cohort);
    enrolment["course"] = toJson(item.course);
    enrolment["programme"] = json::object{{"id", item.programme.id},
                                          {"code", item.programme.code},
                                          {"title", toJson(item.programme.title)}};
    enrolment["cohort_locality"] = toJson(item.locality);
    enrolments.push_back(std::move(enrolment));
  }
  json::array marks;
  for (const auto& mark : data.marks) {
    marks.push_back(json::object{{"enrolment_id", mark.enrolment_id},
                                 {"session_id", mark.session_id},
                                 {"session_starts_at", mark.session_starts_at},
                                 {"topic", mark.topic},
                                 {"session_cancelled", mark.session_cancelled},
                                 {"status", courses::toString(mark.status)},
                                 {"marked_at", mark.marked_at}});
  }
  json::array certificates;
  for (const auto& certificate : data.certificates) {
    certificates.push_back(certificateToJson(certificate, public_base_url));
  }
  json::array links;
  for (const auto& link : data.links) links.push_back(toJson(link));
  json::array history;
  for (const auto& entry : data.history) history.push_back(toJson(entry));
  json::object person = toJson(data.person);
  person["home_locality"] = toJson(data.home_locality);
  return json::object{
      {"exported_at", data.exported_at},
      {"language", courses::toString(data.language)},
      {"person", std::move(person)},
      {"state", toJson(data.state)},
      {"enrolments", std::move(enrolments)},
      {"attendance", std::move(marks)},
      {"certificates", std::move(certificates)},
      {"links", std::move(links)},
      {"account", data.account ? json::value(toJson(*data.account)) : json::value(nullptr)},
      {"history", std::move(history)}};
}

}  // namespace plugin::api
