#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/api/json_attendance.hpp"
#include "plugin/api/json_cohorts.hpp"

namespace plugin::api::handlers {

using http::beast_http::status;

http::Response getSheet(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id session_id = pathId(context);
  boost::json::object body = sheetToJson(session_id, deps.attendance.sheet(actor, session_id));
  // A cancelled session's sheet shows its marks and says it takes no more.
  body["cancelled"] = cancellationToJson(deps.cohorts.findSession(actor, session_id).cancelled);
  return jsonResponse(context, status::ok, body);
}

http::Response putSheet(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id session_id = pathId(context);
  const auto marks = marksFromJson(readBody(context));
  boost::json::object body =
      sheetToJson(session_id, deps.attendance.saveSheet(actor, session_id, marks));
  // Saved, so the session is held: a cancelled one's sheet takes no marks (409).
  body["cancelled"] = nullptr;
  return jsonResponse(context, status::ok, body);
}

}  // namespace plugin::api::handlers
