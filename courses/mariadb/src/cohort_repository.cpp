#include <mysqld_error.h>

#include <algorithm>
#include <map>

#include "courses/error.hpp"
#include "db_error.hpp"
#include "repositories.hpp"
#include "values.hpp"

namespace courses::mariadb {
namespace {

constexpr std::string_view kCohortColumns =
    "c.id, c.course_id, c.locality_id, c.place, c.starts_on, c.ends_on, c.language, c.version";

Cohort cohortFrom(const Row& row) {
  Cohort c;
  c.id = row.int64(0);
  c.course_id = row.int64(1);
  c.locality_id = row.int64(2);
  c.place = row.text(3);
  c.starts_on = row.text(4);
  c.ends_on = row.text(5);
  c.language = storedEnum(languageFromString(row.text(6)), "cohorts.language");
  c.version = row.int32(7);
  return c;
}

constexpr std::string_view kSessionColumns =
    "SELECT id, cohort_id, starts_at, duration_minutes, topic, cancelled_at, cancelled_by,"
    " cancel_reason, version FROM sessions ";

Session sessionFrom(const Row& row) {
  Session s;
  s.id = row.int64(0);
  s.cohort_id = row.int64(1);
  s.starts_at = row.text(2);
  s.duration_minutes = row.int32(3);
  s.topic = row.text(4);
  if (!row.isNull(5)) {
    s.cancelled =
        SessionCancellation{.at = row.text(5), .by = accountColumn(row, 6), .reason = row.text(7)};
  }
  s.version = row.int32(8);
  return s;
}

// The WHERE clause of a cohort listing and its parameters, in order.
std::string filterClause(const CohortFilter& filter, std::vector<Param>& params) {
  std::string where = "WHERE 1 = 1";
  if (filter.trainer_account_id) {
    where +=
        " AND EXISTS (SELECT 1 FROM cohort_trainers t"
        " WHERE t.cohort_id = c.id AND t.account_id = ?)";
    params.emplace_back(*filter.trainer_account_id);
  }
  if (filter.participant_id) {
    where +=
        " AND EXISTS (SELECT 1 FROM enrolments e"
        " WHERE e.cohort_id = c.id AND e.participant_id = ?)";
    params.emplace_back(*filter.participant_id);
  }
  if (filter.course_id) {
    where += " AND c.course_id = ?";
    params.emplace_back(*filter.course_id);
  }
  return where;
}

}  // namespace

Cohort SqlCohortRepository::create(const Cohort& cohort) {
  std::vector<Id> trainers = cohort.trainer_ids;
  std::sort(trainers.begin(), trainers.end());
  trainers.erase(std::unique(trainers.begin(), trainers.end()), trainers.end());
  return runner_.run([&](Tx& tx) {
    Cohort stored = cohort;
    stored.trainer_ids = trainers;
    stored.id = static_cast<Id>(
        tx.execute("INSERT INTO cohorts (course_id, locality_id, place, starts_on, ends_on,"
                   " language) VALUES (?, ?, ?, ?, ?, ?)",
                   {cohort.course_id, cohort.locality_id, cohort.place, cohort.starts_on,
                    cohort.ends_on, toString(cohort.language)})
            .insert_id);
    if (!trainers.empty()) {
      std::vector<Param> params;
      params.reserve(trainers.size() * 2);
      for (const Id trainer : trainers) {
        params.emplace_back(stored.id);
        params.emplace_back(trainer);
      }
      tx.execute("INSERT INTO cohort_trainers (cohort_id, account_id) VALUES " +
                     repeatRows("(?, ?)", trainers.size()),
                 params);
    }
    return stored;
  });
}

std::optional<Cohort> SqlCohortRepository::find(Id id) {
  // One round trip: the cohort's row once per trainer (once with a NULL trainer when it has
  // none). Access checks ask find() whether an account runs the cohort, so it stays one query.
  static const std::string sql =
      "SELECT " + std::string(kCohortColumns) +
      ", t.account_id FROM cohorts c LEFT JOIN cohort_trainers t ON t.cohort_id = c.id"
      " WHERE c.id = ? ORDER BY t.account_id";
  return runner_.read([&](Tx& tx) -> std::optional<Cohort> {
    std::optional<Cohort> cohort;
    for (const Row& row : tx.query(sql, {id})) {
      if (!cohort) cohort = cohortFrom(row);
      if (!row.isNull(8)) cohort->trainer_ids.push_back(row.int64(8));
    }
    return cohort;
  });
}

std::vector<Cohort> SqlCohortRepository::list(const CohortFilter& filter) {
  std::vector<Param> params;
  const std::string where = filterClause(filter, params);
  return runner_.read([&](Tx& tx) {
    std::vector<Cohort> cohorts;
    std::map<Id, std::size_t> index;
    for (const Row& row : tx.query("SELECT " + std::string(kCohortColumns) + " FROM cohorts c " +
                                       where + " ORDER BY c.id",
                                   params)) {
      index[row.int64(0)] = cohorts.size();
      cohorts.push_back(cohortFrom(row));
    }
    if (cohorts.empty()) return cohorts;
    for (const Row& row : tx.query("SELECT ct.cohort_id, ct.account_id FROM cohort_trainers ct"
                                   " JOIN cohorts c ON c.id = ct.cohort_id " +
                                       where + " ORDER BY ct.cohort_id, ct.account_id",
                                   params)) {
      // A cohort created between the two reads is not in the listing; skip its trainers.
      if (const auto found = index.find(row.int64(0)); found != index.end()) {
        cohorts[found->second].trainer_ids.push_back(row.int64(1));
      }
    }
    return cohorts;
  });
}

Cohort SqlCohortRepository::update(Id id, const Cohort& edited, const EditBasis& basis) {
  static const std::string lock_sql =
      "SELECT " + std::string(kCohortColumns) + " FROM cohorts c WHERE c.id = ? FOR UPDATE";
  return runner_.run([&](Tx& tx) {
    const auto row = tx.queryOne(lock_sql, {id});
    if (!row) throw Error(ErrorCode::not_found, "cohort not found");
    Cohort before = cohortFrom(*row);
    for (const Row& trainer :
         tx.query("SELECT account_id FROM cohort_trainers WHERE cohort_id = ? ORDER BY account_id",
                  {id})) {
      before.trainer_ids.push_back(trainer.int64(0));
    }
    if (basis.version && *basis.version != before.version) {
      throw Error(ErrorCode::stale, "the cohort was changed since this version was read");
    }
    Cohort after = edited;
    after.id = id;
    after.course_id = before.course_id;
    after.version = before.version;
    std::vector<FieldChange> fields = cohortChanges(before, after);
    if (fields.empty()) return before;
    tx.execute(
        "UPDATE cohorts SET locality_id = ?, place = ?, starts_on = ?, ends_on = ?, language = ?,"
        " version = version + 1 WHERE id = ?",
        {after.locality_id, after.place, after.starts_on, after.ends_on, toString(after.language),
         id});
    if (after.trainer_ids != before.trainer_ids) {
      tx.execute("DELETE FROM cohort_trainers WHERE cohort_id = ?", {id});
      if (!after.trainer_ids.empty()) {
        std::vector<Param> params;
        for (const Id trainer : after.trainer_ids) {
          params.emplace_back(id);
          params.emplace_back(trainer);
        }
        tx.execute("INSERT INTO cohort_trainers (cohort_id, account_id) VALUES " +
                       repeatRows("(?, ?)", after.trainer_ids.size()),
                   params);
      }
    }
    after.version = before.version + 1;
    recordChange(tx, {.entity = Entity::cohort,
                      .entity_id = id,
                      .version = after.version,
                      .action = std::string(kChangeEdited),
                      .context = basis.change,
                      .fields = std::move(fields),
                      .participant_id = std::nullopt,
                      .undo = {}});
    return after;
  });
}

bool SqlCohortRepository::isTrainerOf(Id cohort_id, Id account_id) {
  return runner_.read([&](Tx& tx) {
    return tx
        .queryOne("SELECT 1 FROM cohort_trainers WHERE cohort_id = ? AND account_id = ?",
                  {cohort_id, account_id})
        .has_value();
  });
}

Session SqlCohortRepository::addSession(const Session& session) {
  const std::string starts_at = sqlDateTime(session.starts_at);
  return runner_.run([&](Tx& tx) {
    Session stored = session;
    // Updating the cohort's span first takes its row lock, so sessions added concurrently to one
    // cohort take turns and the counters stay exact. Matched rows count (CLIENT_FOUND_ROWS), so
    // 0 means no such cohort.
    if (tx.execute("UPDATE cohorts SET session_count = session_count + 1,"
                   " first_session_at = LEAST(COALESCE(first_session_at, ?), ?),"
                   " last_session_at = GREATEST(COALESCE(last_session_at, ?), ?) WHERE id = ?",
                   {starts_at, starts_at, starts_at, starts_at, session.cohort_id})
            .affected_rows == 0) {
      throw Error(ErrorCode::not_found, "cohort not found");
    }
    try {
      stored.id = static_cast<Id>(
          tx.execute("INSERT INTO sessions (cohort_id, starts_at, duration_minutes, topic)"
                     " VALUES (?, ?, ?, ?)",
                     {session.cohort_id, starts_at, session.duration_minutes, session.topic})
              .insert_id);
    } catch (const DbError& error) {
      if (error.code() == ER_NO_REFERENCED_ROW_2) {
        throw Error(ErrorCode::not_found, "cohort not found");
      }
      throw;
    }
    return stored;
  });
}

std::optional<Session> SqlCohortRepository::findSession(Id session_id) {
  static const std::string sql = std::string(kSessionColumns) + "WHERE id = ?";
  return runner_.read([&](Tx& tx) -> std::optional<Session> {
    auto row = tx.queryOne(sql, {session_id});
    if (!row) return std::nullopt;
    return sessionFrom(*row);
  });
}

std::vector<Session> SqlCohortRepository::sessions(Id cohort_id) {
  static const std::string sql =
      std::string(kSessionColumns) + "WHERE cohort_id = ? ORDER BY starts_at, id";
  return runner_.read([&](Tx& tx) {
    std::vector<Session> out;
    for (const Row& row : tx.query(sql, {cohort_id})) out.push_back(sessionFrom(row));
    return out;
  });
}

Session SqlCohortRepository::updateSession(Id session_id, const SessionPatch& patch,
                                           const EditBasis& basis) {
  static const std::string lock_sql = std::string(kSessionColumns) + "WHERE id = ? FOR UPDATE";
  return runner_.run([&](Tx& tx) {
    // The session's row first, as a sheet's writer takes it: the two take turns.
    const auto row = tx.queryOne(lock_sql, {session_id});
    if (!row) throw Error(ErrorCode::not_found, "session not found");
    const Session before = sessionFrom(*row);
    if (basis.version && *basis.version != before.version) {
      throw Error(ErrorCode::stale, "the session was changed since this version was read");
    }
    Session after = before;
    applyPatch(after, patch, basis.change.account_id);
    std::vector<FieldChange> fields = sessionChanges(before, after);
    if (fields.empty()) return before;
    const bool cancelling = after.cancelled && !before.cancelled;
    // A cancellation keeps its first time and author when only its reason changes.
    const bool kept = after.cancelled && before.cancelled;
    const std::optional<std::string> reason =
        after.cancelled ? std::optional(after.cancelled->reason) : std::nullopt;
    tx.execute(
        "UPDATE sessions SET starts_at = ?, duration_minutes = ?, topic = ?,"
        " cancelled_at = IF(?, UTC_TIMESTAMP(), IF(?, cancelled_at, NULL)),"
        " cancelled_by = IF(?, ?, IF(?, cancelled_by, NULL)), cancel_reason = ?,"
        " version = version + 1 WHERE id = ?",
        {sqlDateTime(after.starts_at), after.duration_minutes, after.topic, cancelling, kept,
         cancelling, accountParam(basis.change.account_id), kept, reason, session_id});
    if (changesCounting(before, after)) recountCohort(tx, before.cohort_id);
    const std::string_view action = cancelling                             ? kChangeCancelled
                                    : before.cancelled && !after.cancelled ? kChangeRestored
                                                                           : kChangeEdited;
    ChangeContext context = basis.change;
    if (cancelling && !context.reason) context.reason = after.cancelled->reason;
    recordChange(tx, {.entity = Entity::session,
                      .entity_id = session_id,
                      .version = before.version + 1,
                      .action = std::string(action),
                      .context = std::move(context),
                      .fields = std::move(fields),
                      .participant_id = std::nullopt,
                      .undo = {}});
    return sessionFrom(*tx.queryOne(std::string(kSessionColumns) + "WHERE id = ?", {session_id}));
  });
}

}  // namespace courses::mariadb
