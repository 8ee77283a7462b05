#include "plugin/api/json_attendance.hpp"

#include <gtest/gtest.h>

#include <optional>

#include "json_fixture.hpp"

namespace plugin::api {
namespace {

namespace json = boost::json;
using courses::ErrorCode;
using namespace json_fixture;

TEST(JsonAttendance, MarksAndFieldPaths) {
  const auto marks = marksFromJson(parseJson(
      R"({"marks":[{"enrolment_id":1,"status":"present"},{"enrolment_id":2,"status":"excused"}]})"));
  ASSERT_EQ(marks.size(), 2u);
  EXPECT_EQ(marks[1].enrolment_id, 2);
  EXPECT_EQ(marks[1].status, courses::AttendanceStatus::excused);

  EXPECT_TRUE(hasField(
      fieldProblems(
          R"({"marks":[{"enrolment_id":1,"status":"present"},{"enrolment_id":2,"status":"gone"}]})",
          marksFromJson),
      "marks[1].status"));
  EXPECT_NE(
      badRequestDetail(R"({"marks":[{"enrolment_id":1,"status":"late","note":""}]})", marksFromJson)
          .find("marks[0].note"),
      std::string::npos);
  EXPECT_TRUE(hasField(fieldProblems("{}", marksFromJson), "marks"));
  EXPECT_TRUE(marksFromJson(parseJson(R"({"marks":[]})")).empty());
}

TEST(JsonWrite, SheetRowsWithoutMarksHaveNulls) {
  courses::SheetRow marked{
      1, 21, "Айгүл",
      courses::AttendanceMark{1, courses::AttendanceStatus::late, 5, "2026-01-01T10:00:00Z"}};
  courses::SheetRow unmarked{2, 22, "Бауыржан", std::nullopt};
  const json::object sheet = sheetToJson(8, {marked, unmarked});
  EXPECT_EQ(sheet.at("session_id").as_int64(), 8);
  const json::array& rows = sheet.at("rows").as_array();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("status").as_string(), "late");
  EXPECT_EQ(rows[0].at("marked_by").as_int64(), 5);
  EXPECT_TRUE(rows[1].at("status").is_null());
  EXPECT_TRUE(rows[1].at("marked_by").is_null());
  EXPECT_TRUE(rows[1].at("marked_at").is_null());
}

}  // namespace
}  // namespace plugin::api
