#pragma once
// JSON mapping of attendance marks and sheets (the reading rules: plugin/api/json.hpp).

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <vector>

#include "courses/model.hpp"
#include "plugin/api/json_common.hpp"
#include "plugin/api/json_text.hpp"

namespace plugin::api {

/// PUT /sessions/{id}/attendance: {"marks":[{"enrolment_id","status"}]}.
std::vector<courses::AttendanceMark> marksFromJson(const boost::json::value& body);

/// {"session_id","rows":[{"enrolment_id","participant_id","participant_name","status"|null,
/// "marked_by"|null,"marked_at"|null}]}
boost::json::object sheetToJson(courses::Id session_id, const std::vector<courses::SheetRow>& rows);

}  // namespace plugin::api
