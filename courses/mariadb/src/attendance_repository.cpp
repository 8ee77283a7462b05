#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "courses/error.hpp"
#include "repositories.hpp"
#include "values.hpp"

namespace courses::mariadb {
namespace {

// Rows per multi-row statement. Statements are prepared and cached per row count, so a sheet of
// 30 marks reuses the same three statements every time; longer sheets go in several chunks.
constexpr std::size_t kChunkRows = 100;

struct Change {
  Id enrolment_id;
  AttendanceStatus status;
  std::optional<AttendanceStatus> old_status;
};

}  // namespace

void SqlAttendanceRepository::saveSheet(Id session_id, const std::vector<AttendanceMark>& marks,
                                        Id marked_by) {
  {
    std::unordered_set<Id> seen;
    for (const AttendanceMark& mark : marks) {
      if (!seen.insert(mark.enrolment_id).second) {
        throw Error(ErrorCode::invalid_argument, "an enrolment appears twice in the sheet");
      }
    }
  }
  runner_.run([&](Tx& tx) {
    // Locking the session row serialises writers of one sheet, so the audit's old statuses are
    // exactly what each write replaced; the same read fetches the current statuses.
    std::map<Id, AttendanceStatus> current;
    bool session_exists = false;
    if (marks.empty()) {
      session_exists =
          tx.queryOne("SELECT id FROM sessions WHERE id = ?", {session_id}).has_value();
    }
    for (std::size_t begin = 0; begin < marks.size(); begin += kChunkRows) {
      const std::size_t end = std::min(marks.size(), begin + kChunkRows);
      std::vector<Param> params;
      params.reserve(end - begin + 1);
      for (std::size_t i = begin; i < end; ++i) params.emplace_back(marks[i].enrolment_id);
      params.emplace_back(session_id);
      for (const Row& row :
           tx.query("SELECT s.id, a.enrolment_id, a.status FROM sessions s"
                    " LEFT JOIN attendance a ON a.session_id = s.id"
                    " AND a.enrolment_id IN (" +
                        repeatRows("?", end - begin) + ") WHERE s.id = ? FOR UPDATE",
                    params)) {
        session_exists = true;
        if (!row.isNull(1)) {
          current[row.int64(1)] =
              storedEnum(attendanceStatusFromString(row.text(2)), "attendance.status");
        }
      }
    }
    if (!session_exists) throw Error(ErrorCode::not_found, "session not found");

    std::vector<Change> changes;
    for (const AttendanceMark& mark : marks) {
      const auto found = current.find(mark.enrolment_id);
      if (found != current.end() && found->second == mark.status) continue;
      changes.push_back({mark.enrolment_id, mark.status,
                         found == current.end() ? std::nullopt : std::optional(found->second)});
    }
    const Param by = accountParam(marked_by);
    for (std::size_t begin = 0; begin < changes.size(); begin += kChunkRows) {
      const std::size_t end = std::min(changes.size(), begin + kChunkRows);
      std::vector<Param> upsert;
      std::vector<Param> audit;
      upsert.reserve((end - begin) * 4);
      audit.reserve((end - begin) * 5);
      for (std::size_t i = begin; i < end; ++i) {
        const Change& c = changes[i];
        upsert.insert(upsert.end(), {session_id, c.enrolment_id, toString(c.status), by});
        audit.insert(audit.end(), {session_id, c.enrolment_id,
                                   c.old_status ? Param(toString(*c.old_status)) : Param(),
                                   toString(c.status), by});
      }
      tx.execute(
          "INSERT INTO attendance (session_id, enrolment_id, status, marked_by, marked_at)"
          " VALUES " +
              repeatRows("(?, ?, ?, ?, UTC_TIMESTAMP())", end - begin) +
              " ON DUPLICATE KEY UPDATE status = VALUES(status),"
              " marked_by = VALUES(marked_by), marked_at = VALUES(marked_at)",
          upsert);
      tx.execute(
          "INSERT INTO attendance_audit (session_id, enrolment_id, old_status, new_status,"
          " changed_by, changed_at) VALUES " +
              repeatRows("(?, ?, ?, ?, ?, UTC_TIMESTAMP())", end - begin),
          audit);
    }
  });
}

std::vector<SheetRow> SqlAttendanceRepository::sheet(Id session_id) {
  return runner_.read([&](Tx& tx) {
    std::vector<SheetRow> rows;
    for (const Row& row :
         tx.query("SELECT e.id, e.participant_id, p.full_name, a.status, a.marked_by, a.marked_at"
                  " FROM sessions s"
                  " JOIN enrolments e ON e.cohort_id = s.cohort_id"
                  " JOIN participants p ON p.id = e.participant_id"
                  " LEFT JOIN attendance a ON a.session_id = s.id AND a.enrolment_id = e.id"
                  " WHERE s.id = ? ORDER BY p.full_name, e.id",
                  {session_id})) {
      SheetRow r;
      r.enrolment_id = row.int64(0);
      r.participant_id = row.int64(1);
      r.participant_name = row.text(2);
      if (!row.isNull(3)) {
        AttendanceMark mark;
        mark.enrolment_id = r.enrolment_id;
        mark.status = storedEnum(attendanceStatusFromString(row.text(3)), "attendance.status");
        mark.marked_by = accountColumn(row, 4);
        mark.marked_at = row.text(5);
        r.mark = mark;
      }
      rows.push_back(std::move(r));
    }
    return rows;
  });
}

std::unordered_map<Id, std::vector<AttendanceStatus>> SqlAttendanceRepository::statusesForCohort(
    Id cohort_id) {
  return runner_.read([&](Tx& tx) {
    std::unordered_map<Id, std::vector<AttendanceStatus>> out;
    // The enrolment must belong to the session's cohort: a mark is only ever stored that way, and
    // the join keeps a stray row from counting towards another cohort's certificate.
    for (const Row& row :
         tx.query("SELECT a.enrolment_id, a.status FROM sessions s"
                  " JOIN attendance a ON a.session_id = s.id"
                  " JOIN enrolments e ON e.id = a.enrolment_id AND e.cohort_id = s.cohort_id"
                  " WHERE s.cohort_id = ? ORDER BY a.enrolment_id, s.starts_at, s.id",
                  {cohort_id})) {
      out[row.int64(0)].push_back(
          storedEnum(attendanceStatusFromString(row.text(1)), "attendance.status"));
    }
    return out;
  });
}

}  // namespace courses::mariadb
