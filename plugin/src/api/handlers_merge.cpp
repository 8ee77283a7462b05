// Merging two records of one person (courses/merge.hpp), for administrators: the preview, the
// merge, and its undoing from the history.
#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/api/errors.hpp"
#include "plugin/api/json_changes.hpp"
#include "plugin/api/json_merge.hpp"
#include "plugin/api/json_participants.hpp"
#include "plugin/http/problem.hpp"

namespace plugin::api::handlers {

using status = http::beast_http::status;

namespace {

courses::MergeService& mergesOf(const Dependencies& deps) {
  if (deps.merges == nullptr) {
    throw courses::Error(courses::ErrorCode::unavailable, "merging is not available here");
  }
  return *deps.merges;
}

}  // namespace

http::Response participantRecord(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::MergeSide side = mergesOf(deps).side(actor, pathId(context));
  return versionedResponse(context, status::ok, toJson(side, deps.public_base_url),
                           side.person.version);
}

http::Response mergePreview(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const auto other = queryId(context, "other");
  if (!other) {
    throw courses::Error(courses::ErrorCode::invalid_argument,
                         "the query parameter \"other\" names the record to merge");
  }
  const courses::MergePreview preview = mergesOf(deps).preview(actor, pathId(context), *other);
  // The ETag is the other record's: the merge names it in If-Match.
  return versionedResponse(context, status::ok, toJson(preview, deps.public_base_url),
                           preview.other.person.version);
}

http::Response mergeParticipants(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::Id kept = pathId(context);
  courses::MergeService& merges = mergesOf(deps);
  const MergeRequest request = mergeRequestFromJson(readBody(context));
  // Every conflict must be resolved: the answer lists those that are not (the merge itself
  // checks again in its transaction).
  const courses::MergePreview preview = merges.preview(actor, kept, request.other);
  boost::json::array unresolved;
  for (const auto& conflict : courses::mergeConflicts(preview.kept, preview.other, request.marks)) {
    if (!conflict.resolved) unresolved.push_back(toJson(conflict));
  }
  if (!unresolved.empty()) {
    const ProblemKind kind = problemKind(courses::ErrorCode::conflict);
    return http::problem(kind.status, "merge-conflicts", "Conflicts to resolve",
                         "the two records have conflicts the request does not resolve",
                         boost::json::object{{"conflicts", std::move(unresolved)}},
                         context.request.version(), context.request.keep_alive());
  }
  return editResponse(
      deps, context, courses::Entity::participant, request.other,
      [&](std::optional<int> version) {
        const courses::ChangeEntry change =
            merges.merge(actor, kept, request.other, request.marks, version, request.reason);
        const courses::Participant person = deps.participants.find(actor, kept);
        return Versioned{boost::json::object{{"kept", toJson(person)}, {"change", toJson(change)}},
                         change.version};
      },
      [&] {
        const courses::Participant person = deps.participants.find(actor, request.other);
        return Versioned{toJson(person), person.version};
      });
}

http::Response undoChange(const Dependencies& deps, http::Context& context) {
  const courses::Actor actor = requireActor(deps, context);
  const courses::ChangeEntry change = mergesOf(deps).undo(actor, pathId(context));
  return jsonResponse(context, status::ok, boost::json::object{{"change", toJson(change)}});
}

}  // namespace plugin::api::handlers
