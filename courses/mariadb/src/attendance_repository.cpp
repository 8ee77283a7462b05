#include <algorithm>
#include <unordered_map>

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

bool attended(AttendanceStatus status) {
  return status == AttendanceStatus::present || status == AttendanceStatus::late;
}

// What one changed mark adds to its enrolment's totals counters (enrolment_facts).
struct CounterDelta {
  Id enrolment_id = 0;
  int attended = 0;
  int excused = 0;
  int marked = 0;
  bool operator==(const CounterDelta&) const = default;
};

CounterDelta deltaOf(const Change& change) {
  const auto count = [](std::optional<AttendanceStatus> status, bool (*is)(AttendanceStatus)) {
    return status && is(*status) ? 1 : 0;
  };
  const auto excused = [](AttendanceStatus status) { return status == AttendanceStatus::excused; };
  CounterDelta d;
  d.enrolment_id = change.enrolment_id;
  d.attended = count(change.status, attended) - count(change.old_status, attended);
  d.excused = count(change.status, excused) - count(change.old_status, excused);
  d.marked = change.old_status ? 0 : 1;
  return d;
}

// Adds the marks' deltas to enrolment_facts (only rows of the session's cohort, as the totals
// views count them) in one statement whatever the sheet's size: the deltas travel as one JSON
// parameter read by JSON_TABLE, sorted by enrolment, and STRAIGHT_JOIN walks them in that order,
// so concurrent sheets of one cohort lock the counters in the same order and wait for each other
// instead of deadlocking.
void applyCounterDeltas(Tx& tx, std::vector<CounterDelta> deltas, Id cohort_id,
                        int duration_minutes) {
  std::erase_if(deltas, [](const CounterDelta& d) { return d == CounterDelta{d.enrolment_id}; });
  if (deltas.empty()) return;
  std::sort(deltas.begin(), deltas.end(), [](const CounterDelta& a, const CounterDelta& b) {
    return a.enrolment_id < b.enrolment_id;
  });
  JsonRows rows;
  for (const CounterDelta& d : deltas) {
    rows.add({d.enrolment_id, d.attended, d.excused, d.marked,
              static_cast<long long>(d.attended) * duration_minutes});
  }
  tx.execute(
      "UPDATE JSON_TABLE(?, '$[*]' COLUMNS (enrolment_id BIGINT PATH '$[0]',"
      " attended INT PATH '$[1]', excused INT PATH '$[2]', marked INT PATH '$[3]',"
      " attended_minutes BIGINT PATH '$[4]')) d"
      " STRAIGHT_JOIN enrolment_facts f ON f.enrolment_id = d.enrolment_id"
      " SET f.attended = f.attended + d.attended, f.excused = f.excused + d.excused,"
      " f.marked = f.marked + d.marked, f.attended_minutes = f.attended_minutes + d.attended_minutes"
      " WHERE f.cohort_id = ?",
      {rows.text(), cohort_id});
}

// A sheet row from six columns starting at `first`: enrolment id, participant id, name, and the
// mark's status, marked_by and marked_at (NULL status: not marked).
SheetRow sheetRowFrom(const Row& row, std::size_t first) {
  SheetRow r;
  r.enrolment_id = row.int64(first);
  r.participant_id = row.int64(first + 1);
  r.participant_name = row.text(first + 2);
  if (!row.isNull(first + 3)) {
    AttendanceMark mark;
    mark.enrolment_id = r.enrolment_id;
    mark.status = storedEnum(attendanceStatusFromString(row.text(first + 3)), "attendance.status");
    mark.marked_by = accountColumn(row, first + 4);
    mark.marked_at = row.text(first + 5);
    r.mark = mark;
  }
  return r;
}

// One row per enrolment of the session's cohort, with its mark in the session.
std::vector<SheetRow> readSheet(Tx& tx, Id session_id) {
  std::vector<SheetRow> rows;
  for (const Row& row :
       tx.query("SELECT e.id, e.participant_id, p.full_name, a.status, a.marked_by, a.marked_at"
                " FROM sessions s"
                " JOIN enrolments e ON e.cohort_id = s.cohort_id"
                " JOIN participants p ON p.id = e.participant_id"
                " LEFT JOIN attendance a ON a.session_id = s.id AND a.enrolment_id = e.id"
                " WHERE s.id = ? AND e.withdrawn_at IS NULL ORDER BY p.full_name, e.id",
                {session_id})) {
    rows.push_back(sheetRowFrom(row, 0));
  }
  return rows;
}

}  // namespace

std::vector<SheetRow> SqlAttendanceRepository::saveSheet(Id session_id,
                                                         const std::vector<AttendanceMark>& marks,
                                                         Id marked_by, const SheetCheck& check) {
  return runner_.run([&](Tx& tx) {
    // Locking the session row serialises writers of one sheet, so the audit's old statuses are
    // exactly what each write replaced.
    const auto locked = tx.queryOne(
        "SELECT cohort_id, duration_minutes, attended_marks, cancelled_at IS NOT NULL"
        " FROM sessions WHERE id = ? FOR UPDATE",
        {session_id});
    if (!locked) {
      check(std::nullopt);
      throw Error(ErrorCode::not_found, "session not found");
    }
    SheetSession session;
    session.cohort_id = locked->int64(0);
    const Id cohort_id = session.cohort_id;
    const int duration_minutes = locked->int32(1);
    const int attended_marks = locked->int32(2);
    session.cancelled = locked->int32(3) != 0;
    // One read for the rest, behind the lock (READ COMMITTED: what the last writer committed):
    // the cohort's trainers, and its enrolments in sheet order with their current mark in this
    // session, which with the marks written below is the answer, so nothing is read back. The
    // statement's UTC_TIMESTAMP() stamps the marks and their audit rows: taken after the lock,
    // it never precedes the previous writer's.
    std::vector<SheetRow> rows;
    std::unordered_map<Id, std::size_t> row_of;
    std::optional<std::string> now;
    for (const Row& row :
         tx.query("SELECT 0, account_id, NULL, NULL, NULL, NULL, NULL, UTC_TIMESTAMP()"
                  " FROM cohort_trainers WHERE cohort_id = ?"
                  " UNION ALL SELECT 1, e.id, e.participant_id, p.full_name, a.status,"
                  " a.marked_by, a.marked_at, UTC_TIMESTAMP() FROM enrolments e"
                  " JOIN participants p ON p.id = e.participant_id"
                  " LEFT JOIN attendance a ON a.session_id = ? AND a.enrolment_id = e.id"
                  " WHERE e.cohort_id = ? AND e.withdrawn_at IS NULL ORDER BY 1, 4, 2",
                  {cohort_id, session_id, cohort_id})) {
      if (!now) now = row.text(7);
      if (row.int64(0) == 0) {
        session.trainer_ids.push_back(row.int64(1));
        continue;
      }
      rows.push_back(sheetRowFrom(row, 1));
      row_of.emplace(rows.back().enrolment_id, rows.size() - 1);
      session.enrolment_ids.push_back(rows.back().enrolment_id);
    }
    std::sort(session.enrolment_ids.begin(), session.enrolment_ids.end());
    check(session);

    std::vector<Change> changes;
    for (const AttendanceMark& mark : marks) {
      std::optional<AttendanceMark>& stored = rows[row_of.at(mark.enrolment_id)].mark;
      if (stored && stored->status == mark.status) continue;
      changes.push_back(
          {mark.enrolment_id, mark.status, stored ? std::optional(stored->status) : std::nullopt});
      stored = AttendanceMark{mark.enrolment_id, mark.status, marked_by, now.value_or("")};
    }
    const Param by = accountParam(marked_by);
    const std::string marked_at = changes.empty() ? std::string() : sqlDateTime(*now);
    const Param at = marked_at;
    for (std::size_t begin = 0; begin < changes.size(); begin += kChunkRows) {
      const std::size_t end = std::min(changes.size(), begin + kChunkRows);
      std::vector<Param> upsert;
      std::vector<Param> audit;
      upsert.reserve((end - begin) * 5);
      audit.reserve((end - begin) * 6);
      for (std::size_t i = begin; i < end; ++i) {
        const Change& c = changes[i];
        upsert.insert(upsert.end(), {session_id, c.enrolment_id, toString(c.status), by, at});
        audit.insert(audit.end(), {session_id, c.enrolment_id,
                                   c.old_status ? Param(toString(*c.old_status)) : Param(),
                                   toString(c.status), by, at});
      }
      tx.execute(
          "INSERT INTO attendance (session_id, enrolment_id, status, marked_by, marked_at)"
          " VALUES " +
              repeatRows("(?, ?, ?, ?, ?)", end - begin) +
              " ON DUPLICATE KEY UPDATE status = VALUES(status),"
              " marked_by = VALUES(marked_by), marked_at = VALUES(marked_at)",
          upsert);
      tx.execute(
          "INSERT INTO attendance_audit (session_id, enrolment_id, old_status, new_status,"
          " changed_by, changed_at) VALUES " +
              repeatRows("(?, ?, ?, ?, ?, ?)", end - begin),
          audit);
    }

    // The totals' aggregates, in this transaction: the enrolments' counters, the session's
    // attended marks and, when the session starts or stops counting as delivered, the cohort's.
    if (!changes.empty()) {
      std::vector<CounterDelta> deltas;
      deltas.reserve(changes.size());
      int attended_delta = 0;
      for (const Change& change : changes) {
        deltas.push_back(deltaOf(change));
        attended_delta += deltas.back().attended;
      }
      applyCounterDeltas(tx, std::move(deltas), cohort_id, duration_minutes);
      if (attended_delta != 0) {
        const int now_attended = attended_marks + attended_delta;
        tx.execute("UPDATE sessions SET attended_marks = ? WHERE id = ?",
                   {now_attended, session_id});
        const int delivered = (now_attended > 0 ? 1 : 0) - (attended_marks > 0 ? 1 : 0);
        if (delivered != 0) {
          tx.execute("UPDATE cohorts SET delivered_sessions = delivered_sessions + ? WHERE id = ?",
                     {delivered, cohort_id});
        }
      }
    }
    return rows;
  });
}

std::vector<SheetRow> SqlAttendanceRepository::sheet(Id session_id) {
  return runner_.read([&](Tx& tx) { return readSheet(tx, session_id); });
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
                  " AND e.withdrawn_at IS NULL"
                  " WHERE s.cohort_id = ? AND s.cancelled_at IS NULL"
                  " ORDER BY a.enrolment_id, s.starts_at, s.id",
                  {cohort_id})) {
      out[row.int64(0)].push_back(
          storedEnum(attendanceStatusFromString(row.text(1)), "attendance.status"));
    }
    return out;
  });
}

}  // namespace courses::mariadb
