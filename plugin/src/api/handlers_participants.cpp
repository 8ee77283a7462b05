#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/api/json.hpp"

namespace plugin::api::handlers {

using http::beast_http::status;

http::Response searchParticipants(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const std::string query = queryText(context, "q");
  const courses::PageRequest page = pageRequest(context);
  return jsonResponse(context, status::ok,
                      pageToJson(deps.participants.search(actor, query, page)));
}

http::Response registerParticipant(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const auto registered =
      deps.participants.registerPerson(actor, registrationFromJson(readBody(context)));
  const auto body = toJson(registered.participant);
  if (!registered.created) return jsonResponse(context, status::ok, body);
  return createdResponse(context,
                         "/api/v1/participants/" + std::to_string(registered.participant.id), body);
}

http::Response getParticipant(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  return jsonResponse(context, status::ok, toJson(deps.participants.find(actor, pathId(context))));
}

http::Response patchParticipant(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id id = pathId(context);
  const courses::ParticipantPatch patch =
      participantPatchFromJson(readBody(context, BodyType::json_or_merge_patch));
  return jsonResponse(context, status::ok, toJson(deps.participants.update(actor, id, patch)));
}

http::Response listEnrolments(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  return jsonResponse(context, status::ok,
                      itemsToJson(deps.enrolments.list(actor, pathId(context))));
}

http::Response enrol(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id cohort_id = pathId(context);
  const auto key = idempotencyKey(context.request);
  const courses::Id participant_id = enrolmentRequestFromJson(readBody(context));
  const auto result = deps.enrolments.enrol(actor, cohort_id, participant_id, key);
  const auto body = toJson(result.enrolment);
  // Enrolments are read through their cohort, so a new one answers 201 without a Location header.
  return jsonResponse(context, result.created ? status::created : status::ok, body);
}

http::Response issueAccessCode(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const Auth::AccessCode code =
      deps.auth.issueAccessCode(actor, deps.participants, pathId(context));
  // A code is shown once and read through no route, so the 201 carries no Location header.
  return jsonResponse(context, status::created,
                      accessCodeToJson(code.login, code.code, code.expires_at));
}

}  // namespace plugin::api::handlers
