#include <algorithm>

#include "courses/error.hpp"
#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/api/errors.hpp"
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
  const courses::Programme programme = deps.catalogue.programme(actor, pathId(context));
  return versionedResponse(context, status::ok, toJson(programme), programme.version);
}

namespace {

// A merge-patch edit of a catalogue entity: `read` gives it as Versioned, the patch (members among
// `editable`) is merged onto that, `parse` reads the merged JSON and `save` stores it based on the
// version If-Match names ("*": the version merged onto, so nothing made since is lost unseen).
template <typename Read, typename Parse, typename Save>
http::Response mergedEdit(const Dependencies& deps, http::Context& context, courses::Entity entity,
                          courses::Id id, std::initializer_list<std::string_view> editable,
                          Read&& read, Parse&& parse, Save&& save) {
  const boost::json::value body = readBody(context, BodyType::json_or_merge_patch);
  return editResponse(
      deps, context, entity, id,
      [&](std::optional<int> version) {
        const Versioned current = read();
        boost::json::object merged = mergePatch(current.body.as_object(), body, editable);
        merged.erase("id");
        return save(parse(merged), version.value_or(current.version));
      },
      read);
}

}  // namespace

http::Response patchProgramme(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id id = pathId(context);
  const auto versioned = [](const courses::Programme& p) {
    return Versioned{toJson(p), p.version};
  };
  return mergedEdit(
      deps, context, courses::Entity::programme, id,
      {"title", "donor", "starts_on", "ends_on", "organisations", "youth"},
      [&] { return versioned(deps.catalogue.programme(actor, id)); },
      [](const boost::json::object& merged) { return programmeFromJson(merged); },
      [&](courses::Programme edited, int version) {
        return versioned(deps.catalogue.updateProgramme(actor, id, std::move(edited), version));
      });
}

http::Response getLocality(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Locality locality = deps.catalogue.locality(actor, pathId(context));
  return versionedResponse(context, status::ok, toJson(locality), locality.version);
}

http::Response patchLocality(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id id = pathId(context);
  const auto versioned = [](const courses::Locality& l) { return Versioned{toJson(l), l.version}; };
  return mergedEdit(
      deps, context, courses::Entity::locality, id, {"parent_id", "name", "kato"},
      [&] { return versioned(deps.catalogue.locality(actor, id)); },
      [](const boost::json::object& merged) { return localityFromJson(merged); },
      [&](courses::Locality edited, int version) {
        return versioned(deps.catalogue.updateLocality(actor, id, std::move(edited), version));
      });
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
