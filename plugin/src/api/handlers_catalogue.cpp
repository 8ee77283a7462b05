#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/api/errors.hpp"
#include "plugin/api/json_catalogue.hpp"
#include "plugin/api/json_items.hpp"

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
  return jsonResponse(context, status::ok,
                      itemsToJson(deps.catalogue.listLocalities(actor, parent)));
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
  const courses::Course course = deps.catalogue.course(actor, pathId(context));
  return versionedResponse(context, status::ok, toJson(course), course.version);
}

http::Response patchCourse(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id id = pathId(context);
  const boost::json::value body = readBody(context, BodyType::json_or_merge_patch);
  const std::string dry_run = queryText(context, "dry_run");
  if (!dry_run.empty() && dry_run != "true" && dry_run != "false") {
    throw invalidRequest("query parameter \"dry_run\" must be true or false");
  }
  const auto read = [&] {
    const courses::Course course = deps.catalogue.course(actor, id);
    return Versioned{toJson(course), course.version};
  };
  const auto edited = [&](const Versioned& current) {
    boost::json::object merged = mergePatch(
        current.body.as_object(), body,
        {"track", "title", "hours", "rule", "gives_certificate", "certificate_language"});
    merged.erase("id");
    merged.erase("track_label");
    return courseFromJson(merged);
  };
  if (dry_run == "true") {
    // Says what the edit would change, saving nothing: who would qualify or stop qualifying.
    const Versioned current = read();
    const courses::Course course = edited(current);
    boost::json::array changes;
    for (const auto& change : deps.certificates.rulePreview(actor, id, course.rule)) {
      changes.push_back(boost::json::object{{"cohort_id", change.cohort_id},
                                            {"becomes_eligible", change.becomes_eligible},
                                            {"stops_being_eligible", change.stops_being_eligible},
                                            {"holding_certificates", change.holding_certificates}});
    }
    return versionedResponse(
        context, status::ok,
        boost::json::object{{"course", toJson(course)}, {"rule_changes", std::move(changes)}},
        current.version);
  }
  return editResponse(
      deps, context, courses::Entity::course, id,
      [&](std::optional<int> version) {
        const Versioned current = read();
        const auto course = deps.catalogue.updateCourse(actor, id, edited(current),
                                                        version.value_or(current.version));
        return Versioned{toJson(course), course.version};
      },
      read);
}

}  // namespace plugin::api::handlers
