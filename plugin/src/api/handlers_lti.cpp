// LTI 1.3: the platforms an administrator registered, and the tool's published keys.
#include <boost/json.hpp>

#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/api/json_lti.hpp"

namespace plugin::api::handlers {

namespace {

using http::beast_http::field;
using http::beast_http::status;

courses::LtiPlatformService& platforms(const Dependencies& deps) {
  if (deps.lti == nullptr)
    throw courses::Error(courses::ErrorCode::unavailable, "LTI is not set up");
  return deps.lti->platforms;
}

}  // namespace

http::Response listLtiPlatforms(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  return jsonResponse(context, status::ok, toJson(platforms(deps).list(actor)));
}

http::Response addLtiPlatform(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  // Refused before the body is read: a trainer learns nothing about what a platform needs.
  platforms(deps).list(actor);
  const courses::LtiPlatform added =
      platforms(deps).add(actor, ltiPlatformFromJson(readBody(context)));
  return createdResponse(context, "/api/v1/lti/platforms/" + std::to_string(added.id),
                         toJson(added));
}

http::Response getLtiPlatform(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  return jsonResponse(context, status::ok, toJson(platforms(deps).find(actor, pathId(context))));
}

http::Response patchLtiPlatform(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id id = pathId(context);
  platforms(deps).find(actor, id);
  const bool disabled = ltiDisabledFromJson(readBody(context, BodyType::json_or_merge_patch));
  return jsonResponse(context, status::ok,
                      toJson(platforms(deps).setDisabled(actor, id, disabled)));
}

http::Response ltiJwks(const Dependencies& deps, http::Context& context) {
  if (deps.lti == nullptr) throw courses::Error(courses::ErrorCode::not_found, "LTI is not set up");
  const std::string keys = deps.lti->keys.published(deps.lti->clock.now()).publicJson();
  http::Response response = jsonResponse(context, status::ok, boost::json::parse(keys));
  // Platforms cache a tool's keys; an hour keeps a rotation visible within the day.
  response.set(field::cache_control, "public, max-age=3600");
  return response;
}

}  // namespace plugin::api::handlers
