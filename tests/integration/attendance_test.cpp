// Attendance sheets: upserts, the audit trail, the sheet read.

#include <gtest/gtest.h>

#include "courses/error.hpp"
#include "fixtures.hpp"

namespace {

using namespace integration;
using courses::AttendanceMark;
using courses::AttendanceStatus;

struct Class {
  courses::Account trainer = makeAccount();
  courses::Cohort cohort = makeCohort({trainer.id});
  courses::Session session = makeSession(cohort.id);
  std::vector<courses::Enrolment> enrolments;

  explicit Class(const std::vector<std::string>& names) {
    for (const auto& name : names) {
      const auto person = makeParticipant(cohort.locality_id, trainer.id, name + unique(" "));
      enrolments.push_back(
          repos().enrolments.enrol(person.id, cohort.id, trainer.id, std::nullopt).enrolment);
    }
  }
  long long auditRows() const {
    return database().queryInt("SELECT COUNT(*) FROM attendance_audit WHERE session_id = " +
                               std::to_string(session.id));
  }
};

AttendanceMark mark(Id enrolment_id, AttendanceStatus status) {
  AttendanceMark m;
  m.enrolment_id = enrolment_id;
  m.status = status;
  return m;
}

TEST(AttendanceRepository, SheetListsEveryEnrolmentByNameWithItsMark) {
  auto repo = repos();
  Class c({"Бекзат", "Айжан", "Вера"});
  auto sheet = repo.attendance.sheet(c.session.id);
  ASSERT_EQ(sheet.size(), 3u);
  EXPECT_EQ(sheet[0].participant_name.rfind("Айжан", 0), 0u);
  EXPECT_EQ(sheet[1].participant_name.rfind("Бекзат", 0), 0u);
  EXPECT_EQ(sheet[2].participant_name.rfind("Вера", 0), 0u);
  for (const auto& row : sheet) EXPECT_FALSE(row.mark);

  repo.attendance.saveSheet(c.session.id, {mark(c.enrolments[0].id, AttendanceStatus::late)},
                            c.trainer.id);
  sheet = repo.attendance.sheet(c.session.id);
  ASSERT_EQ(sheet.size(), 3u);
  EXPECT_EQ(sheet[1].enrolment_id, c.enrolments[0].id);
  EXPECT_EQ(sheet[1].participant_id, c.enrolments[0].participant_id);
  ASSERT_TRUE(sheet[1].mark);
  EXPECT_EQ(sheet[1].mark->status, AttendanceStatus::late);
  EXPECT_EQ(sheet[1].mark->marked_by, c.trainer.id);
  EXPECT_EQ(sheet[1].mark->marked_at.size(), 20u);
  EXPECT_FALSE(sheet[0].mark);
  EXPECT_TRUE(repo.attendance.sheet(c.session.id + 1000000).empty());
}

TEST(AttendanceRepository, SavingUpsertsAndAuditsOnlyChanges) {
  auto repo = repos();
  Class c({"Алма", "Болат", "Гүлнар"});
  const std::vector<AttendanceMark> first = {mark(c.enrolments[0].id, AttendanceStatus::present),
                                             mark(c.enrolments[1].id, AttendanceStatus::absent),
                                             mark(c.enrolments[2].id, AttendanceStatus::excused)};
  repo.attendance.saveSheet(c.session.id, first, c.trainer.id);
  EXPECT_EQ(c.auditRows(), 3);
  const auto once = repo.attendance.sheet(c.session.id);

  // The same sheet again changes nothing, not even who marked it when.
  const auto other_trainer = makeAccount();
  repo.attendance.saveSheet(c.session.id, first, other_trainer.id);
  EXPECT_EQ(c.auditRows(), 3);
  const auto twice = repo.attendance.sheet(c.session.id);
  ASSERT_EQ(twice.size(), once.size());
  for (std::size_t i = 0; i < once.size(); ++i) {
    ASSERT_TRUE(twice[i].mark);
    EXPECT_EQ(twice[i].mark->status, once[i].mark->status);
    EXPECT_EQ(twice[i].mark->marked_by, c.trainer.id);
    EXPECT_EQ(twice[i].mark->marked_at, once[i].mark->marked_at);
  }

  // One change: one upsert, one audit row with the old status.
  repo.attendance.saveSheet(c.session.id, {mark(c.enrolments[1].id, AttendanceStatus::late)},
                            other_trainer.id);
  EXPECT_EQ(c.auditRows(), 4);
  EXPECT_EQ(database().queryInt("SELECT COUNT(*) FROM attendance WHERE session_id = " +
                                std::to_string(c.session.id)),
            3);
  EXPECT_EQ(database().queryInt("SELECT COUNT(*) FROM attendance_audit WHERE old_status = 'absent'"
                                " AND new_status = 'late' AND enrolment_id = " +
                                std::to_string(c.enrolments[1].id) +
                                " AND changed_by = " + std::to_string(other_trainer.id)),
            1);
  EXPECT_EQ(database().queryInt("SELECT COUNT(*) FROM attendance_audit WHERE old_status IS NULL"
                                " AND session_id = " +
                                std::to_string(c.session.id)),
            3);
  for (const auto& row : repo.attendance.sheet(c.session.id)) {
    if (row.enrolment_id == c.enrolments[1].id) {
      EXPECT_EQ(row.mark->status, AttendanceStatus::late);
      EXPECT_EQ(row.mark->marked_by, other_trainer.id);
    }
  }
}

TEST(AttendanceRepository, ALargeSheetIsSavedInChunks) {
  auto repo = repos();
  std::vector<std::string> names;
  for (int i = 0; i < 230; ++i) names.push_back("Person " + std::to_string(1000 + i));
  Class c(names);
  std::vector<AttendanceMark> marks;
  for (const auto& e : c.enrolments) marks.push_back(mark(e.id, AttendanceStatus::present));
  repo.attendance.saveSheet(c.session.id, marks, c.trainer.id);
  EXPECT_EQ(c.auditRows(), 230);
  for (auto& m : marks) m.status = AttendanceStatus::absent;
  marks[5].status = AttendanceStatus::present;
  repo.attendance.saveSheet(c.session.id, marks, c.trainer.id);
  EXPECT_EQ(c.auditRows(), 459);
  int present = 0;
  for (const auto& row : repo.attendance.sheet(c.session.id)) {
    ASSERT_TRUE(row.mark);
    present += row.mark->status == AttendanceStatus::present ? 1 : 0;
  }
  EXPECT_EQ(present, 1);
}

TEST(AttendanceRepository, BadSheetsChangeNothing) {
  auto repo = repos();
  Class c({"Дана", "Ержан"});
  // An enrolment listed twice.
  try {
    repo.attendance.saveSheet(c.session.id,
                              {mark(c.enrolments[0].id, AttendanceStatus::present),
                               mark(c.enrolments[0].id, AttendanceStatus::absent)},
                              c.trainer.id);
    FAIL();
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::invalid_argument);
  }
  // An unknown enrolment in the middle: the valid marks before it roll back too.
  EXPECT_THROW(
      repo.attendance.saveSheet(c.session.id,
                                {mark(c.enrolments[0].id, AttendanceStatus::present),
                                 mark(c.enrolments[1].id + 1000000, AttendanceStatus::present)},
                                c.trainer.id),
      courses::Error);
  // An unknown session.
  try {
    repo.attendance.saveSheet(c.session.id + 1000000,
                              {mark(c.enrolments[0].id, AttendanceStatus::present)}, c.trainer.id);
    FAIL();
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::not_found);
  }
  EXPECT_EQ(c.auditRows(), 0);
  for (const auto& row : repo.attendance.sheet(c.session.id)) EXPECT_FALSE(row.mark);
}

TEST(AttendanceRepository, ASavedSheetAnswersInTheOrderAndWithTheStampsASheetReadGives) {
  auto repo = repos();
  // Name order differs from enrolment order, with letters whose collation order is not their
  // code point order (ә after а, Ұ after У, lower and upper case mixed).
  Class c({"Ұлан", "әсел", "Айгүл", "уәли"});
  repo.attendance.saveSheet(c.session.id, {mark(c.enrolments[2].id, AttendanceStatus::absent)},
                            c.trainer.id);
  const auto other_trainer = makeAccount();
  const auto saved = repo.attendance.saveSheet(
      c.session.id,
      {mark(c.enrolments[0].id, AttendanceStatus::present),
       mark(c.enrolments[1].id, AttendanceStatus::late),
       mark(c.enrolments[2].id, AttendanceStatus::absent)},
      other_trainer.id);
  const auto read = repo.attendance.sheet(c.session.id);
  ASSERT_EQ(saved.size(), read.size());
  for (std::size_t i = 0; i < saved.size(); ++i) {
    EXPECT_EQ(saved[i].enrolment_id, read[i].enrolment_id);
    EXPECT_EQ(saved[i].participant_id, read[i].participant_id);
    EXPECT_EQ(saved[i].participant_name, read[i].participant_name);
    ASSERT_EQ(saved[i].mark.has_value(), read[i].mark.has_value());
    if (!saved[i].mark) continue;
    EXPECT_EQ(saved[i].mark->status, read[i].mark->status);
    EXPECT_EQ(saved[i].mark->marked_by, read[i].mark->marked_by);
    EXPECT_EQ(saved[i].mark->marked_at, read[i].mark->marked_at);
  }
  // The unchanged mark keeps its first writer; the changed ones share their audit rows' stamp.
  for (const auto& row : saved) {
    if (row.enrolment_id == c.enrolments[3].id) {
      EXPECT_FALSE(row.mark);
      continue;
    }
    ASSERT_TRUE(row.mark);
    EXPECT_EQ(row.mark->marked_by,
              row.enrolment_id == c.enrolments[2].id ? c.trainer.id : other_trainer.id);
  }
  EXPECT_EQ(database().queryInt(
                "SELECT COUNT(*) FROM attendance_audit u JOIN attendance a"
                " ON a.session_id = u.session_id AND a.enrolment_id = u.enrolment_id"
                " WHERE u.session_id = " + std::to_string(c.session.id) +
                " AND u.changed_by = a.marked_by AND u.changed_at = a.marked_at"),
            3);
}

TEST(AttendanceRepository, SaveSheetChecksTheSessionItLockedAndAnswersTheSheetItWrote) {
  auto repo = repos();
  Class c({"Дана", "Ержан"});
  std::optional<courses::SheetSession> seen;
  const auto saved = repo.attendance.saveSheet(
      c.session.id, {mark(c.enrolments[1].id, AttendanceStatus::excused)}, c.trainer.id,
      [&](const std::optional<courses::SheetSession>& read) { seen = read; });
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->cohort_id, c.cohort.id);
  EXPECT_EQ(seen->trainer_ids, std::vector<Id>{c.trainer.id});
  EXPECT_EQ(seen->enrolment_ids, (std::vector<Id>{c.enrolments[0].id, c.enrolments[1].id}));
  const auto read = repo.attendance.sheet(c.session.id);
  ASSERT_EQ(saved.size(), read.size());
  for (std::size_t i = 0; i < saved.size(); ++i) {
    EXPECT_EQ(saved[i].enrolment_id, read[i].enrolment_id);
    EXPECT_EQ(saved[i].participant_name, read[i].participant_name);
    ASSERT_EQ(saved[i].mark.has_value(), read[i].mark.has_value());
    if (saved[i].mark) {
      EXPECT_EQ(saved[i].mark->status, read[i].mark->status);
      EXPECT_EQ(saved[i].mark->marked_by, read[i].mark->marked_by);
      EXPECT_EQ(saved[i].mark->marked_at, read[i].mark->marked_at);
    }
  }

  // A check that refuses writes nothing, not even the audit.
  EXPECT_THROW(repo.attendance.saveSheet(
                   c.session.id, {mark(c.enrolments[0].id, AttendanceStatus::present)},
                   c.trainer.id,
                   [](const std::optional<courses::SheetSession>&) {
                     throw courses::Error(courses::ErrorCode::not_found, "not yours");
                   }),
               courses::Error);
  EXPECT_EQ(c.auditRows(), 1);
  bool told_missing = false;
  EXPECT_THROW(repo.attendance.saveSheet(c.session.id + 1000000, {}, c.trainer.id,
                                         [&](const std::optional<courses::SheetSession>& s) {
                                           told_missing = !s.has_value();
                                         }),
               courses::Error);
  EXPECT_TRUE(told_missing);
}

TEST(AttendanceRepository, StatusesForCohortGroupByEnrolmentInSessionOrder) {
  auto repo = repos();
  Class c({"Ая", "Бек", "Вика"});
  // Added out of order: the statuses follow the sessions' start times.
  const auto last = makeSession(c.cohort.id, "2026-03-03T09:00:00Z");
  const auto middle = makeSession(c.cohort.id, "2026-03-02T09:00:00Z");
  repo.attendance.saveSheet(c.session.id,
                            {mark(c.enrolments[0].id, AttendanceStatus::present),
                             mark(c.enrolments[1].id, AttendanceStatus::excused)},
                            c.trainer.id);
  repo.attendance.saveSheet(last.id,
                            {mark(c.enrolments[0].id, AttendanceStatus::absent),
                             mark(c.enrolments[1].id, AttendanceStatus::late)},
                            c.trainer.id);
  repo.attendance.saveSheet(middle.id, {mark(c.enrolments[0].id, AttendanceStatus::late)},
                            c.trainer.id);
  // Another cohort's marks stay out.
  Class other({"Гүл"});
  repo.attendance.saveSheet(other.session.id,
                            {mark(other.enrolments[0].id, AttendanceStatus::present)},
                            other.trainer.id);

  const auto statuses = repo.attendance.statusesForCohort(c.cohort.id);
  ASSERT_EQ(statuses.size(), 2u) << "an enrolment without marks has no entry";
  EXPECT_EQ(statuses.at(c.enrolments[0].id),
            (std::vector<AttendanceStatus>{AttendanceStatus::present, AttendanceStatus::late,
                                           AttendanceStatus::absent}));
  EXPECT_EQ(statuses.at(c.enrolments[1].id),
            (std::vector<AttendanceStatus>{AttendanceStatus::excused, AttendanceStatus::late}));
  EXPECT_FALSE(statuses.contains(c.enrolments[2].id));
  EXPECT_TRUE(repo.attendance.statusesForCohort(c.cohort.id + 1000000).empty());
  EXPECT_EQ(repo.attendance.statusesForCohort(other.cohort.id).size(), 1u);
}

}  // namespace
