#include "plugin/api/json_cohorts.hpp"

#include "json_reader.hpp"

namespace plugin::api {

namespace json = boost::json;
using namespace json_reader;

courses::Cohort cohortFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(
      body, "", problems,
      {"course_id", "locality_id", "place", "starts_on", "ends_on", "language", "trainer_ids"});
  courses::Cohort cohort;
  cohort.course_id = reader.id("course_id");
  cohort.locality_id = reader.id("locality_id");
  cohort.place = reader.string("place");
  cohort.starts_on = reader.string("starts_on");
  cohort.ends_on = reader.string("ends_on");
  if (const auto* v = reader.get("language", true)) {
    using courses::Language;
    cohort.language = readEnum(*v, "language", problems, courses::languageFromString,
                               {Language::kk, Language::ru, Language::en});
  }
  if (const auto* v = reader.get("trainer_ids", false)) {
    const json::array& ids = readArray(*v, "trainer_ids");
    for (std::size_t i = 0; i < ids.size(); ++i) {
      cohort.trainer_ids.push_back(
          readId(ids[i], "trainer_ids[" + std::to_string(i) + "]", problems));
    }
  }
  problems.throwIfAny();
  return cohort;
}

courses::Session sessionFromJson(const json::value& body, courses::Id cohort_id) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"starts_at", "duration_minutes", "topic"});
  courses::Session session;
  session.cohort_id = cohort_id;
  session.starts_at = reader.string("starts_at");
  session.duration_minutes = reader.integer("duration_minutes");
  session.topic = reader.string("topic");
  problems.throwIfAny();
  return session;
}

courses::SessionPatch sessionPatchFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems,
                            {"starts_at", "duration_minutes", "topic", "cancelled"});
  courses::SessionPatch patch;
  if (const auto* v = reader.nonNull("starts_at", false)) {
    patch.starts_at = readString(*v, "starts_at", problems);
  }
  if (const auto* v = reader.nonNull("duration_minutes", false)) {
    patch.duration_minutes = readInt(*v, "duration_minutes", problems);
  }
  if (const auto* v = reader.nonNull("topic", false))
    patch.topic = readString(*v, "topic", problems);
  if (const auto* v = reader.get("cancelled", false)) {
    if (v->is_null()) {
      patch.cancel_reason = std::optional<std::string>();
    } else {
      const ObjectReader cancelled(*v, "cancelled", problems, {"reason"});
      patch.cancel_reason = std::optional<std::string>(cancelled.string("reason"));
    }
  }
  problems.throwIfAny();
  return patch;
}

json::object toJson(const courses::Cohort& cohort) {
  json::array trainers;
  for (const courses::Id id : cohort.trainer_ids) trainers.push_back(id);
  return json::object{{"id", cohort.id},
                      {"course_id", cohort.course_id},
                      {"locality_id", cohort.locality_id},
                      {"place", cohort.place},
                      {"starts_on", cohort.starts_on},
                      {"ends_on", cohort.ends_on},
                      {"language", courses::toString(cohort.language)},
                      {"trainer_ids", std::move(trainers)}};
}

json::object toJson(const courses::Session& session) {
  return json::object{{"id", session.id},
                      {"cohort_id", session.cohort_id},
                      {"starts_at", session.starts_at},
                      {"duration_minutes", session.duration_minutes},
                      {"topic", session.topic},
                      {"cancelled", cancellationToJson(session.cancelled)}};
}

json::value cancellationToJson(const std::optional<courses::SessionCancellation>& cancelled) {
  if (!cancelled) return nullptr;
  return json::object{
      {"at", cancelled->at},
      {"by", cancelled->by == 0 ? json::value(nullptr) : json::value(cancelled->by)},
      {"reason", cancelled->reason}};
}

}  // namespace plugin::api
