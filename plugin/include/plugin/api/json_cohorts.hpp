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

/// PATCH /sessions/{id}: any of starts_at, duration_minutes, topic, and "cancelled":
/// {"reason": "…"} to cancel (or change the reason of a cancellation), null to restore.
courses::SessionPatch sessionPatchFromJson(const boost::json::value& body);

boost::json::object toJson(const courses::Cohort& cohort);
/// A session, its cancellation as "cancelled" (cancellationToJson).
boost::json::object toJson(const courses::Session& session);
/// null for a held session, else {"at", "by" (account id, null for the command line), "reason"}.
boost::json::value cancellationToJson(const std::optional<courses::SessionCancellation>& cancelled);

}  // namespace plugin::api
