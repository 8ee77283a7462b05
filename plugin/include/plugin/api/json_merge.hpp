#pragma once
// JSON mapping of merging two records of one person (courses/merge.hpp).

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "courses/merge.hpp"

namespace plugin::api {

/// POST /participants/{id}/merge: {"other": id, "marks": [{"session_id", "status"}], "reason"}.
struct MergeRequest {
  courses::Id other = 0;
  std::vector<courses::MarkChoice> marks;
  std::optional<std::string> reason;
};
MergeRequest mergeRequestFromJson(const boost::json::value& body);

/// {"kind", "cohort_id", "kept_enrolment_id", "other_enrolment_id", "session_id", "kept_status",
/// "other_status", "certificate_ids", "resolved"}
boost::json::object toJson(const courses::MergeConflict& conflict);
/// One record: {"person", "enrolments", "marks": [{"enrolment_id", "session_id", "status"}],
/// "certificates"}.
boost::json::object toJson(const courses::MergeSide& side, std::string_view public_base_url);
/// {"kept": side, "other": side, "conflicts": [...]}; a side is {"person", "enrolments",
/// "marks": [{"enrolment_id", "session_id", "status"}], "certificates"}.
boost::json::object toJson(const courses::MergePreview& preview, std::string_view public_base_url);

}  // namespace plugin::api
