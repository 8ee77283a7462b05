// A person's data rights on MariaDB (courses/data_rights.hpp). Erasure is one transaction: the
// person's row is locked first, as every edit of them locks it, so an edit and an erasure take
// turns.
#include "data_rights_repository.hpp"

#include "courses/error.hpp"
#include "values.hpp"

namespace courses::mariadb {
namespace {

constexpr std::string_view kStateColumns =
    "SELECT p.id, p.version, p.erased_at, p.consent_withdrawn_at, p.merged_into,"
    " p.birth_year, p.phone IS NOT NULL, p.email IS NOT NULL, p.consent FROM participants p"
    " WHERE p.id = ?";

DataRightsState stateFrom(const Row& row) {
  return DataRightsState{.participant_id = row.int64(0),
                         .version = row.int32(1),
                         .erased_at = row.optText(2),
                         .consent_withdrawn_at = row.optText(3),
                         .merged_into = row.optInt64(4)};
}

/// The fields erasure removes: their old and new values are blanked in the person's history.
constexpr std::string_view kErasedFields = "'full_name', 'birth_year', 'phone', 'email'";
constexpr std::string_view kContactFields = "'phone', 'email'";

/// Blanks the old and new values of `fields` in every change that concerns the person; answers
/// how many values it blanked.
int blankHistory(Tx& tx, Id participant_id, std::string_view fields) {
  const std::string sql =
      "UPDATE change_fields cf JOIN changes c ON c.id = cf.change_id"
      " SET cf.old_value = 'null', cf.new_value = 'null'"
      " WHERE ((c.entity = 'participant' AND c.entity_id = ?) OR c.participant_id = ?)"
      " AND cf.field IN (" +
      std::string(fields) + ") AND (cf.old_value <> 'null' OR cf.new_value <> 'null')";
  return static_cast<int>(tx.execute(sql, {participant_id, participant_id}).affected_rows);
}

/// The person's state locked for a change based on `version`: Error(not_found), Error(stale),
/// or Error(conflict) when they are erased or merged into another record.
Row lockedPerson(Tx& tx, Id participant_id, const std::optional<int>& version) {
  static const std::string sql = std::string(kStateColumns) + " FOR UPDATE";
  auto row = tx.queryOne(sql, {participant_id});
  if (!row) throw Error(ErrorCode::not_found, "participant not found");
  const DataRightsState state = stateFrom(*row);
  if (version && *version != state.version) {
    throw Error(ErrorCode::stale, "the person was changed since this version was read");
  }
  if (state.erased_at) throw Error(ErrorCode::conflict, "the person is erased already");
  if (state.merged_into) {
    throw Error(ErrorCode::conflict, "the record was merged into another one: act on that one");
  }
  return std::move(*row);
}

// People due for the retention of contacts on the given day: they hold a phone or an e-mail,
// are not erased, are enrolled somewhere, and every programme they are enrolled in sets a
// retention whose end has passed. The day they became due is the latest of those ends.
constexpr std::string_view kDueSql =
    "SELECT p.id, DATE_FORMAT(MAX(DATE_ADD(pr.ends_on, INTERVAL pr.retention_years YEAR)),"
    " '%Y-%m-%d') AS due_on,"
    " GROUP_CONCAT(DISTINCT pr.code ORDER BY pr.code SEPARATOR ' ')"
    " FROM participants p"
    " JOIN enrolments e ON e.participant_id = p.id"
    " JOIN cohorts c ON c.id = e.cohort_id JOIN courses co ON co.id = c.course_id"
    " JOIN programmes pr ON pr.id = co.programme_id"
    " WHERE p.erased_at IS NULL AND p.merged_into IS NULL"
    " AND (p.phone IS NOT NULL OR p.email IS NOT NULL) AND (? = 0 OR p.id = ?)"
    " GROUP BY p.id"
    " HAVING SUM(pr.retention_years IS NULL) = 0 AND due_on <= ?"
    " ORDER BY p.id";

std::vector<RetentionDue> dueIn(Tx& tx, Id only, const Date& today) {
  std::vector<RetentionDue> out;
  for (const Row& row : tx.query(kDueSql, {only, only, today})) {
    RetentionDue due{.participant_id = row.int64(0), .due_on = row.text(1), .programme_codes = {}};
    const std::string codes = row.text(2);
    for (std::size_t start = 0; start < codes.size();) {
      const std::size_t end = std::min(codes.find(' ', start), codes.size());
      due.programme_codes.push_back(codes.substr(start, end - start));
      start = end + 1;
    }
    out.push_back(std::move(due));
  }
  return out;
}

}  // namespace

std::optional<DataRightsState> SqlDataRightsRepository::state(Id participant_id) {
  return runner_.read([&](Tx& tx) -> std::optional<DataRightsState> {
    auto row = tx.queryOne(kStateColumns, {participant_id});
    if (!row) return std::nullopt;
    return stateFrom(*row);
  });
}

std::vector<PersonMark> SqlDataRightsRepository::marks(Id participant_id) {
  return runner_.read([&](Tx& tx) {
    std::vector<PersonMark> out;
    for (const Row& row :
         tx.query("SELECT a.enrolment_id, a.session_id, s.starts_at, s.topic,"
                  " s.cancelled_at IS NOT NULL, a.status, a.marked_at"
                  " FROM enrolments e JOIN attendance a ON a.enrolment_id = e.id"
                  " JOIN sessions s ON s.id = a.session_id"
                  " WHERE e.participant_id = ? ORDER BY s.starts_at, s.id, a.enrolment_id",
                  {participant_id})) {
      out.push_back(PersonMark{
          .enrolment_id = row.int64(0),
          .session_id = row.int64(1),
          .session_starts_at = row.text(2),
          .topic = row.text(3),
          .session_cancelled = row.boolean(4),
          .status = storedEnum(attendanceStatusFromString(row.text(5)), "attendance.status"),
          .marked_at = row.text(6)});
    }
    return out;
  });
}

void SqlDataRightsRepository::recordExport(Id participant_id, const ChangeContext& change) {
  runner_.run([&](Tx& tx) {
    auto row = tx.queryOne("SELECT version FROM participants WHERE id = ?", {participant_id});
    if (!row) throw Error(ErrorCode::not_found, "participant not found");
    recordChange(tx, {.entity = Entity::participant,
                      .entity_id = participant_id,
                      .version = row->int32(0),
                      .action = std::string(kChangeExported),
                      .context = change,
                      .fields = {},
                      .participant_id = participant_id,
                      .undo = {}});
  });
}

ErasureOutcome SqlDataRightsRepository::erase(Id participant_id, const EditBasis& basis,
                                              const Timestamp& now) {
  const std::string at = sqlDateTime(now);
  const std::string name(kErasedName);
  const std::string revoke_reason(kErasedCertificateReason);
  return runner_.run([&](Tx& tx) {
    const Row person = lockedPerson(tx, participant_id, basis.version);
    ErasureOutcome outcome;
    const int birth_year = generalisedBirthYear(person.int32(5));
    const bool had_phone = person.boolean(6);
    const bool had_email = person.boolean(7);

    // The history first, so that it keeps none of what is erased (erasure's own change is
    // written after it, with blanked old values).
    outcome.history_values_blanked = blankHistory(tx, participant_id, kErasedFields);

    // The record: no name, no contacts, no key or search text to find or match it by.
    tx.execute(
        "UPDATE participants SET full_name = ?, name_key = '', match_key = '', search_text = '',"
        " birth_year = ?, phone = NULL, email = NULL, erased_at = ?,"
        " updated_at = UTC_TIMESTAMP(), version = version + 1 WHERE id = ?",
        {name, birth_year, at, participant_id});

    // Certificates: a valid one is revoked, and still counts as issued in the totals
    // (certificates.erased_at, migration 0012); every one loses the name and its PDF.
    const Param by = accountParam(basis.change.account_id);
    for (const Row& row : tx.query("SELECT id, status FROM certificates WHERE participant_id = ?"
                                   " ORDER BY id FOR UPDATE",
                                   {participant_id})) {
      const Id certificate_id = row.int64(0);
      if (row.text(1) == "valid") {
        tx.execute(
            "UPDATE certificates SET status = 'revoked', revoked_at = ?, revoked_by = ?,"
            " erased_at = ? WHERE id = ?",
            {at, by, at, certificate_id});
        tx.execute(
            "INSERT INTO certificate_audit (certificate_id, action, account_id, at, reason)"
            " VALUES (?, 'revoked', ?, ?, ?)",
            {certificate_id, by, at, revoke_reason});
        ++outcome.certificates_revoked;
      }
      // The verification page says only this, also of one revoked before for another reason
      // (that reason stays in the certificate's audit trail).
      tx.execute(
          "UPDATE certificates SET full_name = ?, revoked_reason = ?, pdf_size = 0 WHERE id = ?",
          {name, revoke_reason, certificate_id});
      tx.execute("DELETE FROM certificate_files WHERE certificate_id = ?", {certificate_id});
      ++outcome.certificates_blanked;
    }

    // Their learner account: closed, its login freed, its sessions and codes ended.
    if (auto account = tx.queryOne("SELECT id FROM accounts WHERE participant_id = ? FOR UPDATE",
                                   {participant_id})) {
      const Id account_id = account->int64(0);
      tx.execute(
          "UPDATE accounts SET login = CONCAT('erased-', id), display_name = '',"
          " password_hash = '', disabled = 1 WHERE id = ?",
          {account_id});
      tx.execute("DELETE FROM auth_tokens WHERE account_id = ?", {account_id});
      tx.execute("DELETE FROM access_codes WHERE account_id = ?", {account_id});
      tx.execute("DELETE FROM login_attempts WHERE account_id = ?", {account_id});
      tx.execute(
          "INSERT INTO account_events (account_id, action, actor_id, at)"
          " VALUES (?, 'closed_at_erasure', ?, ?)",
          {account_id, by, at});
      outcome.closed_account_id = account_id;
    }

    // Trainers' grants of sight serve finding and registering the person again, which erasure
    // ends; the link trail (who confirmed them, when, for which cohort) holds nothing of them.
    outcome.access_rows_removed = static_cast<int>(
        tx.execute("DELETE FROM participant_access WHERE participant_id = ?", {participant_id})
            .affected_rows);

    outcome.enrolments_kept = static_cast<int>(
        tx.queryOne("SELECT COUNT(*) FROM enrolments WHERE participant_id = ?", {participant_id})
            ->int64(0));

    // Erasure's own change: what the fields became, and nothing of what they were.
    std::vector<FieldChange> written{{"full_name", "null", jsonText(name)},
                                     {"birth_year", "null", jsonText(birth_year)}};
    if (had_phone) written.push_back({"phone", "null", "null"});
    if (had_email) written.push_back({"email", "null", "null"});
    written.push_back({"erased_at", "null", jsonText(now)});
    outcome.state = stateFrom(*tx.queryOne(kStateColumns, {participant_id}));
    recordChange(tx, {.entity = Entity::participant,
                      .entity_id = participant_id,
                      .version = outcome.state.version,
                      .action = std::string(kChangeErased),
                      .context = basis.change,
                      .fields = std::move(written),
                      .participant_id = participant_id,
                      .undo = {}});
    return outcome;
  });
}

DataRightsState SqlDataRightsRepository::withdrawConsent(Id participant_id, const EditBasis& basis,
                                                         const Timestamp& now) {
  return runner_.run([&](Tx& tx) {
    const Row person = lockedPerson(tx, participant_id, basis.version);
    if (!person.isNull(3)) throw Error(ErrorCode::conflict, "consent is withdrawn already");
    const bool had_consent = person.boolean(8);
    tx.execute(
        "UPDATE participants SET consent = 0, consent_withdrawn_at = ?,"
        " updated_at = UTC_TIMESTAMP(), version = version + 1 WHERE id = ?",
        {sqlDateTime(now), participant_id});
    DataRightsState state = stateFrom(*tx.queryOne(kStateColumns, {participant_id}));
    FieldChanges fields;
    fields.compare("consent", had_consent, false);
    fields.add("consent_withdrawn_at", "null", jsonText(now));
    recordChange(tx, {.entity = Entity::participant,
                      .entity_id = participant_id,
                      .version = state.version,
                      .action = std::string(kChangeConsentWithdrawn),
                      .context = basis.change,
                      .fields = std::move(fields).take(),
                      .participant_id = participant_id,
                      .undo = {}});
    return state;
  });
}

std::optional<RetentionSetting> SqlDataRightsRepository::retention(Id programme_id) {
  return runner_.read([&](Tx& tx) -> std::optional<RetentionSetting> {
    auto row = tx.queryOne("SELECT id, retention_years, version FROM programmes WHERE id = ?",
                           {programme_id});
    if (!row) return std::nullopt;
    const auto years = row->optInt64(1);
    return RetentionSetting{
        .programme_id = row->int64(0),
        .retention_years = years ? std::optional<int>(static_cast<int>(*years)) : std::nullopt,
        .version = row->int32(2)};
  });
}

RetentionSetting SqlDataRightsRepository::setRetention(Id programme_id, std::optional<int> years,
                                                       const EditBasis& basis) {
  return runner_.run([&](Tx& tx) {
    auto row = tx.queryOne(
        "SELECT retention_years, version FROM programmes WHERE id = ? FOR UPDATE", {programme_id});
    if (!row) throw Error(ErrorCode::not_found, "programme not found");
    const int version = row->int32(1);
    if (basis.version && *basis.version != version) {
      throw Error(ErrorCode::stale, "the programme was changed since this version was read");
    }
    const auto stored = row->optInt64(0);
    const std::optional<long long> before = stored;
    const std::optional<long long> after = years ? std::optional<long long>(*years) : std::nullopt;
    RetentionSetting setting{
        .programme_id = programme_id, .retention_years = years, .version = version};
    if (before == after) return setting;
    tx.execute("UPDATE programmes SET retention_years = ?, version = version + 1 WHERE id = ?",
               {after, programme_id});
    setting.version = version + 1;
    FieldChanges fields;
    fields.compare("retention_years", before, after);
    recordChange(tx, {.entity = Entity::programme,
                      .entity_id = programme_id,
                      .version = setting.version,
                      .action = std::string(kChangeEdited),
                      .context = basis.change,
                      .fields = std::move(fields).take(),
                      .participant_id = std::nullopt,
                      .undo = {}});
    return setting;
  });
}

std::vector<RetentionDue> SqlDataRightsRepository::dueForRetention(const Date& today) {
  return runner_.read([&](Tx& tx) { return dueIn(tx, 0, today); });
}

bool SqlDataRightsRepository::eraseContacts(Id participant_id, const Date& today,
                                            const ChangeContext& change) {
  return runner_.run([&](Tx& tx) {
    auto row = tx.queryOne(std::string(kStateColumns) + " FOR UPDATE", {participant_id});
    if (!row) return false;
    // Still due under the lock: an enrolment in a programme that keeps contacts may have been
    // made since the list was read.
    if (dueIn(tx, participant_id, today).empty()) return false;
    const bool had_phone = row->boolean(6);
    const bool had_email = row->boolean(7);
    blankHistory(tx, participant_id, kContactFields);
    tx.execute(
        "UPDATE participants SET phone = NULL, email = NULL, updated_at = UTC_TIMESTAMP(),"
        " version = version + 1 WHERE id = ?",
        {participant_id});
    std::vector<FieldChange> fields;
    if (had_phone) fields.push_back({"phone", "null", "null"});
    if (had_email) fields.push_back({"email", "null", "null"});
    recordChange(tx, {.entity = Entity::participant,
                      .entity_id = participant_id,
                      .version = row->int32(1) + 1,
                      .action = std::string(kChangeContactsErased),
                      .context = change,
                      .fields = std::move(fields),
                      .participant_id = participant_id,
                      .undo = {}});
    return true;
  });
}

}  // namespace courses::mariadb
