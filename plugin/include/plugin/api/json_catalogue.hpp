#pragma once
// JSON mapping of programmes, localities and courses (the reading rules: plugin/api/json.hpp).

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "courses/model.hpp"
#include "plugin/api/json_common.hpp"
#include "plugin/api/json_text.hpp"

namespace plugin::api {

/// POST /programmes (no id). organisations defaults to [], youth to {"from":14,"to":35}.
courses::Programme programmeFromJson(const boost::json::value& body);
/// POST /localities (no id).
courses::Locality localityFromJson(const boost::json::value& body);
/// POST /courses (no id). `rule` fields other than min_attendance_percent default to false;
/// gives_certificate defaults to true, certificate_language to "all".
courses::Course courseFromJson(const boost::json::value& body);

boost::json::object toJson(const courses::Programme& programme);
boost::json::object toJson(const courses::Locality& locality);
boost::json::object toJson(const courses::Course& course);
/// GET /tracks: {"items":[{"track","label":{"kk","ru","en"}}]} in the order given.
boost::json::object tracksToJson(const std::vector<std::string>& tracks);

}  // namespace plugin::api
