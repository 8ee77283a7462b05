// Histories of changes (courses/change_log.hpp): GET /<entities>/{id}/history, for
// administrators.
#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/api/json_items.hpp"

namespace plugin::api::handlers {

using status = http::beast_http::status;

http::Response participantHistory(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  return jsonResponse(
      context, status::ok,
      pageToJson(deps.history.personHistory(actor, pathId(context), pageRequest(context))));
}

http::Response entityHistory(const Dependencies& deps, http::Context& context,
                             courses::Entity entity) {
  const courses::Actor actor = requireActor(deps, context);
  return jsonResponse(
      context, status::ok,
      pageToJson(deps.history.history(actor, entity, pathId(context), pageRequest(context))));
}

}  // namespace plugin::api::handlers
