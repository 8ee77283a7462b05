#include <mysqld_error.h>

#include "courses/error.hpp"
#include "db_error.hpp"
#include "repositories.hpp"
#include "values.hpp"

namespace courses::mariadb {
namespace {

constexpr std::string_view kColumns =
    "SELECT e.id, e.participant_id, e.cohort_id, e.registered_by, e.registered_at,"
    " e.snapshot_gender, IF(p.erased_at IS NULL, e.snapshot_birth_year, p.birth_year),"
    " e.snapshot_locality_id, e.snapshot_affiliation, e.snapshot_vulnerable, p.full_name,"
    " e.withdrawn_at, e.withdrawn_by, e.withdraw_reason, e.version"
    " FROM enrolments e JOIN participants p ON p.id = e.participant_id ";
// An erased person's snapshot keeps their exact birth year for the totals' age bands only: every
// answer shows the generalised year of their record instead (courses/data_rights.hpp).

Enrolment enrolmentFrom(const Row& row) {
  Enrolment e;
  e.id = row.int64(0);
  e.participant_id = row.int64(1);
  e.cohort_id = row.int64(2);
  e.registered_by = accountColumn(row, 3);
  e.registered_at = row.text(4);
  e.snapshot.gender = storedEnum(genderFromString(row.text(5)), "enrolments.snapshot_gender");
  e.snapshot.birth_year = row.int32(6);
  e.snapshot.locality_id = row.int64(7);
  e.snapshot.affiliation =
      storedEnum(affiliationFromString(row.text(8)), "enrolments.snapshot_affiliation");
  e.snapshot.vulnerable = vulnerableColumn(row, 9);
  e.participant_name = row.text(10);
  if (!row.isNull(11)) {
    e.withdrawn = Withdrawal{row.text(11), accountColumn(row, 12), row.optText(13).value_or("")};
  }
  e.version = row.int32(14);
  return e;
}

const std::string& byIdSql() {
  static const std::string sql = std::string(kColumns) + "WHERE e.id = ?";
  return sql;
}

const std::string& byPairSql() {
  static const std::string sql =
      std::string(kColumns) + "WHERE e.participant_id = ? AND e.cohort_id = ?";
  return sql;
}

// Inserts the enrolment with a snapshot of the person's demographics as they are now; empty when
// the pair exists already (a concurrent enrolment won the race).
std::optional<Enrolment> insertEnrolment(Tx& tx, Id participant_id, Id cohort_id,
                                         Id registered_by) {
  auto person = tx.queryOne(
      "SELECT full_name, gender, birth_year, locality_id, affiliation, vulnerable,"
      " erased_at IS NOT NULL, consent_withdrawn_at IS NOT NULL"
      " FROM participants WHERE id = ?",
      {participant_id});
  if (!person) throw Error(ErrorCode::not_found, "participant not found");
  // Consent is the basis of processing (courses/data_rights.hpp): without it, no new enrolment.
  if (person->boolean(6)) throw Error(ErrorCode::conflict, "the person is erased");
  if (person->boolean(7)) {
    throw Error(ErrorCode::conflict, "the person has withdrawn their consent to data processing");
  }
  Enrolment e;
  e.participant_id = participant_id;
  e.cohort_id = cohort_id;
  e.registered_by = registered_by;
  e.participant_name = person->text(0);
  e.snapshot.gender = storedEnum(genderFromString(person->text(1)), "participants.gender");
  e.snapshot.birth_year = person->int32(2);
  e.snapshot.locality_id = person->int64(3);
  e.snapshot.affiliation =
      storedEnum(affiliationFromString(person->text(4)), "participants.affiliation");
  e.snapshot.vulnerable = vulnerableColumn(*person, 5);
  try {
    const Rows inserted = tx.query(
        "INSERT INTO enrolments (participant_id, cohort_id, registered_by, registered_at,"
        " snapshot_gender, snapshot_birth_year, snapshot_locality_id, snapshot_affiliation,"
        " snapshot_vulnerable) VALUES (?, ?, ?, UTC_TIMESTAMP(), ?, ?, ?, ?, ?)"
        " RETURNING id, registered_at",
        {participant_id, cohort_id, accountParam(registered_by), toString(e.snapshot.gender),
         e.snapshot.birth_year, e.snapshot.locality_id, toString(e.snapshot.affiliation),
         e.snapshot.vulnerable});
    e.id = inserted.at(0).int64(0);
    e.registered_at = inserted.at(0).text(1);
  } catch (const DbError& error) {
    if (error.code() == ER_DUP_ENTRY) return std::nullopt;
    // The person exists (read above), so the missing parent is the cohort.
    if (error.code() == ER_NO_REFERENCED_ROW_2)
      throw Error(ErrorCode::not_found, "cohort not found");
    throw;
  }
  // The totals' row of the enrolment, in its programme, with the same snapshot and no marks yet.
  tx.execute(
      "INSERT INTO enrolment_facts (programme_id, enrolment_id, participant_id, cohort_id, gender,"
      " birth_year, locality_id, affiliation, vulnerable)"
      " SELECT co.programme_id, e.id, e.participant_id, e.cohort_id, e.snapshot_gender,"
      " e.snapshot_birth_year, e.snapshot_locality_id, e.snapshot_affiliation,"
      " e.snapshot_vulnerable FROM enrolments e JOIN cohorts c ON c.id = e.cohort_id"
      " JOIN courses co ON co.id = c.course_id WHERE e.id = ?",
      {e.id});
  return e;
}

}  // namespace

EnrolmentRepository::Created SqlEnrolmentRepository::enrol(
    Id participant_id, Id cohort_id, Id registered_by,
    const std::optional<std::string>& idempotency_key) {
  return runner_.run([&](Tx& tx) -> Created {
    if (idempotency_key) {
      auto seen = tx.queryOne(
          "SELECT enrolment_id, participant_id, cohort_id FROM enrolment_idempotency"
          " WHERE account_id = ? AND idem_key = ?",
          {registered_by, *idempotency_key});
      if (seen) {
        if (seen->int64(1) != participant_id || seen->int64(2) != cohort_id) {
          throw Error(ErrorCode::conflict,
                      "this Idempotency-Key was already used for a different enrolment");
        }
        auto first = tx.queryOne(byIdSql(), {seen->int64(0)});
        if (!first) throw Error(ErrorCode::internal, "storage error");
        return {enrolmentFrom(*first), false};
      }
    }
    Created result;
    if (auto existing = tx.queryOne(byPairSql(), {participant_id, cohort_id})) {
      result = {enrolmentFrom(*existing), false};
    } else if (auto inserted = insertEnrolment(tx, participant_id, cohort_id, registered_by)) {
      result = {std::move(*inserted), true};
    } else {
      // Enrolled concurrently by someone else: the next attempt finds their enrolment.
      throw RetryTransaction();
    }
    if (idempotency_key) {
      try {
        tx.execute(
            "INSERT INTO enrolment_idempotency (account_id, idem_key, enrolment_id,"
            " participant_id, cohort_id, created_at) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP())",
            {registered_by, *idempotency_key, result.enrolment.id, participant_id, cohort_id});
      } catch (const DbError& error) {
        // The same key is being replayed concurrently: the next attempt sees the first result.
        if (error.code() == ER_DUP_ENTRY) throw RetryTransaction();
        throw;
      }
    }
    return result;
  });
}

std::optional<Enrolment> SqlEnrolmentRepository::find(Id id) {
  return runner_.read([&](Tx& tx) -> std::optional<Enrolment> {
    auto row = tx.queryOne(byIdSql(), {id});
    if (!row) return std::nullopt;
    return enrolmentFrom(*row);
  });
}

std::vector<Enrolment> SqlEnrolmentRepository::listForCohort(Id cohort_id) {
  static const std::string sql = std::string(kColumns) + "WHERE e.cohort_id = ? ORDER BY e.id";
  return runner_.read([&](Tx& tx) {
    std::vector<Enrolment> out;
    for (const Row& row : tx.query(sql, {cohort_id})) out.push_back(enrolmentFrom(row));
    return out;
  });
}

std::vector<Enrolment> SqlEnrolmentRepository::listForParticipant(Id participant_id) {
  static const std::string sql = std::string(kColumns) + "WHERE e.participant_id = ? ORDER BY e.id";
  return runner_.read([&](Tx& tx) {
    std::vector<Enrolment> out;
    for (const Row& row : tx.query(sql, {participant_id})) out.push_back(enrolmentFrom(row));
    return out;
  });
}

Enrolment SqlEnrolmentRepository::setWithdrawn(Id id, const std::optional<std::string>& reason,
                                               const EditBasis& basis) {
  return runner_.run([&](Tx& tx) {
    const auto cohort = tx.queryOne("SELECT cohort_id FROM enrolments WHERE id = ?", {id});
    if (!cohort) throw Error(ErrorCode::not_found, "enrolment not found");
    const Id cohort_id = cohort->int64(0);
    // The cohort's sessions first, as an attendance sheet locks them: a sheet being saved
    // meanwhile either counts this enrolment's marks or sees it withdrawn, never half of each.
    lockCohortSessions(tx, cohort_id);
    auto row = tx.queryOne(byIdSql() + " FOR UPDATE", {id});
    if (!row) throw Error(ErrorCode::not_found, "enrolment not found");
    const Enrolment before = enrolmentFrom(*row);
    if (basis.version && *basis.version != before.version) {
      throw Error(ErrorCode::stale, "the enrolment was changed since this version was read");
    }
    if (reason && before.withdrawn)
      throw Error(ErrorCode::conflict, "the enrolment is withdrawn already");
    if (!reason && !before.withdrawn)
      throw Error(ErrorCode::conflict, "the enrolment is not withdrawn");
    if (reason) {
      if (auto held =
              tx.queryOne("SELECT serial FROM certificates WHERE valid_enrolment_id = ?", {id})) {
        throw Error(ErrorCode::conflict, "the enrolment holds the valid certificate " +
                                             held->text(0) + ": revoke it first");
      }
      tx.execute(
          "UPDATE enrolments SET withdrawn_at = UTC_TIMESTAMP(), withdrawn_by = ?,"
          " withdraw_reason = ?, version = version + 1 WHERE id = ?",
          {accountParam(basis.change.account_id), *reason, id});
    } else {
      tx.execute(
          "UPDATE enrolments SET withdrawn_at = NULL, withdrawn_by = NULL, withdraw_reason = NULL,"
          " version = version + 1 WHERE id = ?",
          {id});
    }
    refreshEnrolmentFacts(tx, id);
    recountCohort(tx, cohort_id);
    auto after_row = tx.queryOne(byIdSql(), {id});
    if (!after_row) throw Error(ErrorCode::internal, "storage error");
    Enrolment after = enrolmentFrom(*after_row);
    recordChange(tx,
                 RecordedChange{.entity = Entity::enrolment,
                                .entity_id = id,
                                .version = after.version,
                                .action = std::string(reason ? kChangeWithdrawn : kChangeRestored),
                                .context = {.account_id = basis.change.account_id,
                                            .reason = reason ? reason : basis.change.reason},
                                .fields = withdrawalChanges(before, after),
                                .participant_id = after.participant_id,
                                .undo = {}});
    return after;
  });
}

}  // namespace courses::mariadb
