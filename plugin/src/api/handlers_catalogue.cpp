#include <algorithm>

#include "courses/error.hpp"
#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/api/json_catalogue.hpp"
#include "plugin/api/json_items.hpp"
#include "plugin/cli/participant_csv_format.hpp"

namespace plugin::api::handlers {

using http::beast_http::status;

http::Response listProgrammes(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  return jsonResponse(context, status::ok, itemsToJson(deps.catalogue.listProgrammes(actor)));
}

http::Response createProgramme(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Programme created =
      deps.catalogue.createProgramme(actor, programmeFromJson(readBody(context)));
  return createdResponse(context, "/api/v1/programmes/" + std::to_string(created.id),
                         toJson(created));
}

http::Response getProgramme(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  return jsonResponse(context, status::ok,
                      toJson(deps.catalogue.programme(actor, pathId(context))));
}

http::Response listLocalities(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const auto parent = queryId(context, "parent");
  const std::string name = queryText(context, "name");
  if (name.empty()) {
    return jsonResponse(context, status::ok,
                        itemsToJson(deps.catalogue.listLocalities(actor, parent)));
  }
  if (parent) {
    throw courses::Error(courses::ErrorCode::invalid_argument, "name and parent do not go together",
                         {{"name", "cannot be combined with parent"}});
  }
  // The places a participants file's locality cell names, by the rule the command line's import
  // follows (docs/CSV_IMPORT.md): the web app's import page asks here for each cell.
  std::vector<courses::Locality> localities = deps.catalogue.listAllLocalities(actor);
  const std::vector<courses::Id> named = cli::LocalityLookup(localities).named(name);
  std::erase_if(localities, [&](const courses::Locality& locality) {
    return std::find(named.begin(), named.end(), locality.id) == named.end();
  });
  return jsonResponse(context, status::ok, itemsToJson(localities));
}

http::Response createLocality(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Locality created =
      deps.catalogue.createLocality(actor, localityFromJson(readBody(context)));
  // No route reads a single locality, so no Location header names one.
  return jsonResponse(context, status::created, toJson(created));
}

http::Response listCourses(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const auto programme = queryId(context, "programme");
  return jsonResponse(context, status::ok,
                      itemsToJson(deps.catalogue.listCourses(actor, programme)));
}

http::Response createCourse(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Course created =
      deps.catalogue.createCourse(actor, courseFromJson(readBody(context)));
  return createdResponse(context, "/api/v1/courses/" + std::to_string(created.id), toJson(created));
}

http::Response getCourse(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  return jsonResponse(context, status::ok, toJson(deps.catalogue.course(actor, pathId(context))));
}

}  // namespace plugin::api::handlers
