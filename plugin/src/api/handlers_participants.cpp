#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "courses/enrolment_batch.hpp"
#include "courses/error.hpp"
#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/api/errors.hpp"
#include "plugin/api/json.hpp"

namespace plugin::api::handlers {

using http::beast_http::status;

namespace {

/// The field a 400 detail names ("field \"gender\" must be a string, not an integer",
/// "unknown field \"nickname\""), or "" when it names none.
std::string fieldOfDetail(const std::string& detail) {
  for (const std::string_view prefix : {"field \"", "unknown field \""}) {
    if (detail.rfind(prefix, 0) != 0) continue;
    const std::size_t close = detail.find('"', prefix.size());
    if (close != std::string::npos) return detail.substr(prefix.size(), close - prefix.size());
  }
  return {};
}

/// One row of a batch as the domain takes it: a registration read exactly as POST
/// /api/v1/participants reads its body (plus "confirm_new"), or why it cannot be read.
courses::BatchRow batchRowFromJson(const boost::json::value& value) {
  courses::BatchRow row;
  if (!value.is_object()) {
    row.problems.push_back({"", "a row must be a JSON object"});
    return row;
  }
  boost::json::object fields = value.as_object();
  bool confirm_new = false;
  if (const auto* confirm = fields.if_contains("confirm_new")) {
    if (!confirm->is_bool()) {
      row.problems.push_back({"confirm_new", "must be true or false"});
      return row;
    }
    confirm_new = confirm->as_bool();
    fields.erase("confirm_new");
  }
  try {
    row.registration = registrationFromJson(fields);
    if (confirm_new) {
      if (row.registration.same_person || row.registration.same_person_confirmation) {
        row.problems.push_back({"confirm_new", "cannot be combined with same_person"});
      }
      row.registration.not_duplicate = true;
    }
  } catch (const RequestError& error) {
    row.problems = error.fields();
    if (row.problems.empty()) row.problems.push_back({fieldOfDetail(error.what()), error.what()});
  } catch (const courses::Error& error) {
    row.problems = error.fields();
    if (row.problems.empty()) row.problems.push_back({"", error.what()});
  }
  return row;
}

boost::json::array problemsToJson(const std::vector<courses::FieldProblem>& problems) {
  boost::json::array out;
  for (const auto& problem : problems) {
    out.push_back(boost::json::object{{"field", problem.field}, {"message", problem.message}});
  }
  return out;
}

}  // namespace

http::Response searchParticipants(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const std::string query = queryText(context, "q");
  const courses::PageRequest page = pageRequest(context);
  return jsonResponse(context, status::ok,
                      pageToJson(deps.participants.search(actor, query, page)));
}

http::Response participantDuplicates(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  return jsonResponse(context, status::ok,
                      pageToJson(deps.participants.duplicates(actor, pageRequest(context))));
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
  const courses::Participant person = deps.participants.find(actor, pathId(context));
  return versionedResponse(context, status::ok, toJson(person), person.version);
}

http::Response patchParticipant(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id id = pathId(context);
  const courses::ParticipantPatch patch =
      participantPatchFromJson(readBody(context, BodyType::json_or_merge_patch));
  return editResponse(
      deps, context, courses::Entity::participant, id,
      [&](std::optional<int> version) {
        const auto person = deps.participants.update(actor, id, patch, version);
        return Versioned{toJson(person), person.version};
      },
      [&] {
        const auto person = deps.participants.find(actor, id);
        return Versioned{toJson(person), person.version};
      });
}

http::Response getEnrolment(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Enrolment enrolment = deps.enrolments.find(actor, pathId(context));
  return versionedResponse(context, status::ok, toJson(enrolment), enrolment.version);
}

http::Response patchEnrolment(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id id = pathId(context);
  const std::optional<std::string> reason =
      enrolmentPatchFromJson(readBody(context, BodyType::json_or_merge_patch));
  return editResponse(
      deps, context, courses::Entity::enrolment, id,
      [&](std::optional<int> version) {
        const auto enrolment = deps.enrolments.setWithdrawn(actor, id, reason, version);
        return Versioned{toJson(enrolment), enrolment.version};
      },
      [&] {
        const auto enrolment = deps.enrolments.find(actor, id);
        return Versioned{toJson(enrolment), enrolment.version};
      });
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

http::Response enrolBatch(const Dependencies& deps, RateLimiter& dry_runs,
                          http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id cohort_id = pathId(context);
  const boost::json::value body = readBody(context);
  if (!body.is_object()) throw invalidRequest("the request body must be a JSON object");
  const boost::json::object& object = body.as_object();
  for (const auto& member : object) {
    if (member.key() != "rows" && member.key() != "dry_run") {
      throw invalidRequest("unknown field \"" + std::string(member.key()) + "\"");
    }
  }
  const auto* rows = object.if_contains("rows");
  if (rows == nullptr || !rows->is_array()) {
    throw invalidRequest("field \"rows\" must be an array of rows");
  }
  bool dry_run = false;
  if (const auto* flag = object.if_contains("dry_run")) {
    if (!flag->is_bool()) throw invalidRequest("field \"dry_run\" must be true or false");
    dry_run = flag->as_bool();
  }
  if (dry_run) {
    // Every row of a dry run asks whether someone is registered so: a full import's worth is
    // fine, an endless stream of guesses is not.
    const auto cost = static_cast<int>(std::max<std::size_t>(1, rows->as_array().size()));
    if (const auto wait = dry_runs.acquire("account:" + std::to_string(actor.account_id), cost)) {
      courses::Error error(courses::ErrorCode::too_many_requests,
                           "too many rows checked in dry runs; try again later");
      error.retry_after_seconds = *wait;
      throw error;
    }
  }
  std::vector<courses::BatchRow> batch;
  batch.reserve(rows->as_array().size());
  for (const auto& row : rows->as_array()) batch.push_back(batchRowFromJson(row));

  const std::vector<courses::BatchRowResult> results = courses::enrolBatch(
      deps.participants, deps.enrolments, actor, cohort_id, std::move(batch), dry_run);
  boost::json::array items;
  std::int64_t enrolled = 0;
  std::int64_t failed = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const courses::BatchRowResult& result = results[i];
    boost::json::object item{{"row", i}, {"status", courses::toString(result.status)}};
    if (result.participant_id) item["participant_id"] = *result.participant_id;
    if (result.enrolment_id) item["enrolment_id"] = *result.enrolment_id;
    if (!result.errors.empty()) item["errors"] = problemsToJson(result.errors);
    if (!result.candidates.empty()) {
      boost::json::array candidates;
      for (const auto& candidate : result.candidates) candidates.push_back(toJson(candidate));
      item["candidates"] = std::move(candidates);
    }
    if (result.status == courses::BatchRowStatus::enrolled) ++enrolled;
    if (result.status == courses::BatchRowStatus::duplicate ||
        result.status == courses::BatchRowStatus::invalid) {
      ++failed;
    }
    items.push_back(std::move(item));
  }
  return jsonResponse(
      context, status::ok,
      boost::json::object{
          {"results", std::move(items)}, {"enrolled", enrolled}, {"failed", failed}});
}

http::Response participantLinks(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  return jsonResponse(context, status::ok,
                      itemsToJson(deps.participants.links(actor, pathId(context))));
}

http::Response issueAccessCode(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::AccessCode code = deps.accounts.issueAccessCode(actor, pathId(context));
  // A code is shown once and read through no route, so the 201 carries no Location header.
  return jsonResponse(context, status::created,
                      accessCodeToJson(code.login, code.code, code.expires_at));
}

}  // namespace plugin::api::handlers
