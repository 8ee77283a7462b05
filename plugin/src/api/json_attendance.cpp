#include "plugin/api/json_attendance.hpp"

#include "json_reader.hpp"

namespace plugin::api {

namespace json = boost::json;
using namespace json_reader;

std::vector<courses::AttendanceMark> marksFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"marks"});
  std::vector<courses::AttendanceMark> marks;
  if (const auto* v = reader.get("marks", true)) {
    const json::array& items = readArray(*v, "marks");
    marks.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      const ObjectReader item(items[i], "marks[" + std::to_string(i) + "]", problems,
                              {"enrolment_id", "status"});
      courses::AttendanceMark mark;
      mark.enrolment_id = item.id("enrolment_id");
      if (const auto* status = item.get("status", true)) {
        using courses::AttendanceStatus;
        mark.status =
            readEnum(*status, item.field("status"), problems, courses::attendanceStatusFromString,
                     {AttendanceStatus::present, AttendanceStatus::late, AttendanceStatus::excused,
                      AttendanceStatus::absent});
      }
      marks.push_back(std::move(mark));
    }
  }
  problems.throwIfAny();
  return marks;
}

json::object sheetToJson(courses::Id session_id, const std::vector<courses::SheetRow>& rows) {
  json::array items;
  items.reserve(rows.size());
  for (const auto& row : rows) {
    json::object item{{"enrolment_id", row.enrolment_id},
                      {"participant_id", row.participant_id},
                      {"participant_name", row.participant_name}};
    if (row.mark) {
      item["status"] = courses::toString(row.mark->status);
      item["marked_by"] = row.mark->marked_by;
      item["marked_at"] = row.mark->marked_at;
    } else {
      item["status"] = nullptr;
      item["marked_by"] = nullptr;
      item["marked_at"] = nullptr;
    }
    items.push_back(std::move(item));
  }
  return json::object{{"session_id", session_id}, {"rows", std::move(items)}};
}

}  // namespace plugin::api
