// AttendanceService, courses/attendance_service.hpp: reading and saving a sheet.
#include "courses/attendance_service.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "courses/error.hpp"
#include "services_fixture.hpp"
#include "support/domain_checks.hpp"

namespace courses {
namespace {

// --- attendance ---------------------------------------------------------------------------------

TEST_F(ServicesTest, SavesAndReadsASheet) {
  const Enrolment e1 = enrol(trainer_a, cohort_a.id, registerBy(trainer_a, "Дана Қасымова").id);
  const Enrolment e2 = enrol(trainer_a, cohort_a.id, registerBy(trainer_a, "Бақыт Омарова").id);
  const Enrolment e3 = enrol(trainer_a, cohort_a.id, registerBy(trainer_a, "Әсел Нұрова").id);
  const auto rows = attendance.saveSheet(
      trainer_a, session_a.id,
      {{e1.id, AttendanceStatus::present, 0, ""}, {e2.id, AttendanceStatus::late, 0, ""}});
  ASSERT_EQ(rows.size(), 3u);
  int marked = 0;
  for (const SheetRow& row : rows) {
    if (row.enrolment_id == e3.id) {
      EXPECT_FALSE(row.mark.has_value());
      continue;
    }
    ASSERT_TRUE(row.mark.has_value());
    EXPECT_EQ(row.mark->marked_by, trainer_a.account_id);
    ++marked;
  }
  EXPECT_EQ(marked, 2);
  EXPECT_EQ(attendance.sheet(admin, session_a.id).size(), 3u);
}

TEST_F(ServicesTest, SavingTheSameSheetTwiceGivesTheSameState) {
  const Enrolment e1 = enrol(trainer_a, cohort_a.id, registerBy(trainer_a, "Дана Қасымова").id);
  const std::vector<AttendanceMark> marks{{e1.id, AttendanceStatus::excused, 0, ""}};
  const auto first = attendance.saveSheet(trainer_a, session_a.id, marks);
  const auto second = attendance.saveSheet(trainer_a, session_a.id, marks);
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].mark->status, AttendanceStatus::excused);
  EXPECT_EQ(store.attendanceAudit().size(), 1u);
  attendance.saveSheet(trainer_a, session_a.id, {{e1.id, AttendanceStatus::present, 0, ""}});
  EXPECT_EQ(store.attendanceAudit().size(), 2u);
}

TEST_F(ServicesTest, ForeignEnrolmentRejectsTheWholeSheet) {
  const Enrolment mine = enrol(trainer_a, cohort_a.id, registerBy(trainer_a, "Дана Қасымова").id);
  const Enrolment foreign =
      enrol(trainer_b, cohort_b.id, registerBy(trainer_b, "Бақыт Омарова").id);
  EXPECT_INVALID_FIELD("marks[1].enrolment_id",
                       attendance.saveSheet(trainer_a, session_a.id,
                                            {{mine.id, AttendanceStatus::present, 0, ""},
                                             {foreign.id, AttendanceStatus::present, 0, ""}}));
  EXPECT_INVALID_FIELD(
      "marks[0].enrolment_id",
      attendance.saveSheet(trainer_a, session_a.id, {{999999, AttendanceStatus::present, 0, ""}}));
  // Nothing was saved.
  EXPECT_TRUE(store.attendanceAudit().empty());
  for (const SheetRow& row : attendance.sheet(trainer_a, session_a.id)) {
    EXPECT_FALSE(row.mark.has_value());
  }
}

TEST_F(ServicesTest, DuplicateAndOversizedSheetsAreRejected) {
  const Enrolment e = enrol(trainer_a, cohort_a.id, registerBy(trainer_a, "Дана Қасымова").id);
  EXPECT_INVALID_FIELD("marks[1].enrolment_id",
                       attendance.saveSheet(trainer_a, session_a.id,
                                            {{e.id, AttendanceStatus::present, 0, ""},
                                             {e.id, AttendanceStatus::absent, 0, ""}}));
  const std::vector<AttendanceMark> too_many(
      1001, AttendanceMark{e.id, AttendanceStatus::present, 0, ""});
  EXPECT_INVALID_FIELD("marks", attendance.saveSheet(trainer_a, session_a.id, too_many));
  EXPECT_TRUE(store.attendanceAudit().empty());
}

TEST_F(ServicesTest, AnotherTrainersSessionIsNotFound) {
  const Enrolment e = enrol(trainer_a, cohort_a.id, registerBy(trainer_a, "Дана Қасымова").id);
  EXPECT_ERROR(ErrorCode::not_found, attendance.sheet(trainer_b, session_a.id));
  EXPECT_ERROR(
      ErrorCode::not_found,
      attendance.saveSheet(trainer_b, session_a.id, {{e.id, AttendanceStatus::absent, 0, ""}}));
  EXPECT_ERROR(ErrorCode::not_found, attendance.sheet(admin, 999999));
  const Actor learner = makeActor(Role::learner, "dana", e.participant_id);
  EXPECT_ERROR(ErrorCode::not_found, attendance.sheet(learner, session_a.id));
  EXPECT_ERROR(
      ErrorCode::forbidden,
      attendance.saveSheet(learner, session_a.id, {{e.id, AttendanceStatus::present, 0, ""}}));
  EXPECT_TRUE(store.attendanceAudit().empty());
}

}  // namespace
}  // namespace courses
