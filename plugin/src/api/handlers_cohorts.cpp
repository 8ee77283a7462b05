#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/api/json_cohorts.hpp"
#include "plugin/api/json_items.hpp"

namespace plugin::api::handlers {

using http::beast_http::status;

http::Response listCohorts(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const auto course = queryId(context, "course");
  return jsonResponse(context, status::ok, itemsToJson(deps.cohorts.list(actor, course)));
}

http::Response createCohort(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Cohort created = deps.cohorts.create(actor, cohortFromJson(readBody(context)));
  return createdResponse(context, "/api/v1/cohorts/" + std::to_string(created.id), toJson(created));
}

http::Response getCohort(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Cohort cohort = deps.cohorts.find(actor, pathId(context));
  return versionedResponse(context, status::ok, toJson(cohort), cohort.version);
}

http::Response patchCohort(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id id = pathId(context);
  const boost::json::value body = readBody(context, BodyType::json_or_merge_patch);
  const auto read = [&] {
    const courses::Cohort cohort = deps.cohorts.find(actor, id);
    return Versioned{toJson(cohort), cohort.version};
  };
  return editResponse(
      deps, context, courses::Entity::cohort, id,
      [&](std::optional<int> version) {
        const Versioned current = read();
        boost::json::object merged =
            mergePatch(current.body.as_object(), body,
                       {"locality_id", "place", "starts_on", "ends_on", "language", "trainer_ids"});
        merged.erase("id");
        // "*" edits the version the patch was merged onto, so nothing made
        // since is overwritten unseen.
        const auto cohort = deps.cohorts.update(actor, id, cohortFromJson(merged),
                                                version.value_or(current.version));
        return Versioned{toJson(cohort), cohort.version};
      },
      read);
}

http::Response listSessions(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  return jsonResponse(context, status::ok,
                      itemsToJson(deps.cohorts.sessions(actor, pathId(context))));
}

http::Response createSession(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id cohort_id = pathId(context);
  const courses::Session created =
      deps.cohorts.addSession(actor, sessionFromJson(readBody(context), cohort_id));
  // Sessions are read through their cohort; no Location header names a route that is not there.
  return jsonResponse(context, status::created, toJson(created));
}

http::Response getSession(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Session session = deps.cohorts.findSession(actor, pathId(context));
  return versionedResponse(context, status::ok, toJson(session), session.version);
}

http::Response patchSession(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id id = pathId(context);
  const courses::SessionPatch patch =
      sessionPatchFromJson(readBody(context, BodyType::json_or_merge_patch));
  return editResponse(
      deps, context, courses::Entity::session, id,
      [&](std::optional<int> version) {
        const auto session = deps.cohorts.updateSession(actor, id, patch, version);
        return Versioned{toJson(session), session.version};
      },
      [&] {
        const auto session = deps.cohorts.findSession(actor, id);
        return Versioned{toJson(session), session.version};
      });
}

}  // namespace plugin::api::handlers
