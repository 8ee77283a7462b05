#pragma once
// JSON mapping of the history of changes (courses/change_log.hpp).

#include <boost/json/object.hpp>

#include "courses/change_log.hpp"

namespace plugin::api {

/// {"id", "entity", "entity_id", "version", "action", "participant_id", "account_id", "at",
/// "reason", "fields": [{"field", "old", "new"}], "undoable"}; old and new are JSON values.
boost::json::object toJson(const courses::ChangeEntry& entry);

}  // namespace plugin::api
