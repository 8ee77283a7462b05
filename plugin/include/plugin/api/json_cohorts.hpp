#pragma once
// JSON mapping of cohorts and their sessions (the reading rules: plugin/api/json.hpp).

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "courses/model.hpp"
#include "plugin/api/json_common.hpp"
#include "plugin/api/json_text.hpp"

namespace plugin::api {

/// POST /cohorts (no id). trainer_ids defaults to empty.
courses::Cohort cohortFromJson(const boost::json::value& body);
/// POST /cohorts/{id}/sessions: starts_at, duration_minutes, topic (the cohort comes from the
/// path).
courses::Session sessionFromJson(const boost::json::value& body, courses::Id cohort_id);

boost::json::object toJson(const courses::Cohort& cohort);
boost::json::object toJson(const courses::Session& session);

}  // namespace plugin::api
