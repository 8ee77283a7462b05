#include "plugin/api/json_merge.hpp"

#include <boost/json/array.hpp>

#include "json_reader.hpp"
#include "plugin/api/json_certificates.hpp"
#include "plugin/api/json_participants.hpp"

namespace plugin::api {

namespace json = boost::json;
using namespace json_reader;

MergeRequest mergeRequestFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"other", "marks", "reason"});
  MergeRequest request;
  request.other = reader.id("other");
  if (const auto* v = reader.nonNull("marks", false)) {
    const json::array& items = readArray(*v, "marks");
    for (std::size_t i = 0; i < items.size(); ++i) {
      const ObjectReader item(items[i], "marks[" + std::to_string(i) + "]", problems,
                              {"session_id", "status"});
      courses::MarkChoice choice;
      choice.session_id = item.id("session_id");
      if (const auto* status = item.get("status", true)) {
        using courses::AttendanceStatus;
        choice.status =
            readEnum(*status, item.field("status"), problems, courses::attendanceStatusFromString,
                     {AttendanceStatus::present, AttendanceStatus::late, AttendanceStatus::excused,
                      AttendanceStatus::absent});
      }
      request.marks.push_back(choice);
    }
  }
  request.reason = reader.nullableString("reason");
  problems.throwIfAny();
  return request;
}

namespace {

json::value statusValue(const std::optional<courses::AttendanceStatus>& status) {
  return status ? json::value(courses::toString(*status)) : json::value(nullptr);
}

}  // namespace

json::object toJson(const courses::MergeSide& side, std::string_view public_base_url) {
  json::array enrolments;
  for (const auto& e : side.enrolments) enrolments.push_back(toJson(e));
  json::array marks;
  for (const auto& [enrolment_id, sessions] : side.marks) {
    for (const auto& [session_id, status] : sessions) {
      marks.push_back(json::object{{"enrolment_id", enrolment_id},
                                   {"session_id", session_id},
                                   {"status", courses::toString(status)}});
    }
  }
  json::array certificates;
  for (const auto& c : side.certificates) {
    certificates.push_back(certificateToJson(c, public_base_url));
  }
  return json::object{{"person", toJson(side.person)},
                      {"enrolments", std::move(enrolments)},
                      {"marks", std::move(marks)},
                      {"certificates", std::move(certificates)}};
}

json::object toJson(const courses::MergeConflict& conflict) {
  json::array certificates;
  for (const courses::Id id : conflict.certificate_ids) certificates.push_back(id);
  return json::object{{"kind", conflict.kind},
                      {"cohort_id", conflict.cohort_id},
                      {"kept_enrolment_id", conflict.kept_enrolment_id},
                      {"other_enrolment_id", conflict.other_enrolment_id},
                      {"session_id", optionalValue(conflict.session_id)},
                      {"kept_status", statusValue(conflict.kept_status)},
                      {"other_status", statusValue(conflict.other_status)},
                      {"certificate_ids", std::move(certificates)},
                      {"resolved", conflict.resolved}};
}

json::object toJson(const courses::MergePreview& preview, std::string_view public_base_url) {
  json::array conflicts;
  for (const auto& c : preview.conflicts) conflicts.push_back(toJson(c));
  return json::object{{"kept", toJson(preview.kept, public_base_url)},
                      {"other", toJson(preview.other, public_base_url)},
                      {"conflicts", std::move(conflicts)}};
}

}  // namespace plugin::api
