#pragma once
// JSON mapping of a person's data rights (courses/data_rights.hpp): their state, their export,
// what an erasure did, a programme's retention.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "courses/data_rights_service.hpp"

namespace plugin::api {

/// POST /participants/{id}/erase: {"reason": "…"} (required).
std::string erasureReasonFromJson(const boost::json::value& body);
/// POST /participants/{id}/consent-withdrawal: {"reason": "…"} (optional, may be null).
std::optional<std::string> consentReasonFromJson(const boost::json::value& body);
/// PUT /programmes/{id}/retention: {"retention_years": N | null} (required).
std::optional<int> retentionFromJson(const boost::json::value& body);

boost::json::object toJson(const courses::DataRightsState& state);
boost::json::object toJson(const courses::ErasureOutcome& outcome);
boost::json::object toJson(const courses::RetentionSetting& setting);
/// Everything held about the person (GET /participants/{id}/export).
boost::json::object exportToJson(const courses::PersonExport& data,
                                 std::string_view public_base_url);

}  // namespace plugin::api
