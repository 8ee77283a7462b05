// Merging two records of one person, and undoing it (courses/merge.hpp). Each is one
// transaction: the two records are locked (in id order), then the sessions of every cohort both
// were enrolled in (as an attendance sheet locks them), then everything is moved and the totals'
// aggregates of what moved are brought back to the views. What the merge did is kept in its
// change's undo_data as JSON arrays of ids and statuses (JsonRows), which the undo reads back with
// JSON_TABLE.
#include <algorithm>
#include <set>

#include "courses/error.hpp"
#include "repositories.hpp"
#include "values.hpp"

namespace courses::mariadb {
namespace {

struct Locked {
  Id id = 0;
  std::optional<Id> merged_into;
  int version = 0;
};

std::map<Id, Locked> lockPeople(Tx& tx, Id a, Id b) {
  std::map<Id, Locked> out;
  for (const Row& row : tx.query("SELECT id, merged_into, version FROM participants"
                                 " WHERE id IN (?, ?) ORDER BY id FOR UPDATE",
                                 {a, b})) {
    Locked locked{row.int64(0), std::nullopt, row.int32(2)};
    if (const auto kept = row.optInt64(1)) locked.merged_into = static_cast<Id>(*kept);
    out.emplace(locked.id, locked);
  }
  return out;
}

/// Both records as planMerge needs them: enrolments (with withdrawal), marks and certificates.
void readSides(Tx& tx, MergeSide& kept, MergeSide& other) {
  const auto sideOf = [&](Id participant_id) -> MergeSide& {
    return participant_id == kept.person.id ? kept : other;
  };
  std::map<Id, Id> owner;  // enrolment -> participant
  for (const Row& row :
       tx.query("SELECT id, participant_id, cohort_id, withdrawn_at FROM enrolments"
                " WHERE participant_id IN (?, ?) ORDER BY id FOR UPDATE",
                {kept.person.id, other.person.id})) {
    Enrolment e;
    e.id = row.int64(0);
    e.participant_id = row.int64(1);
    e.cohort_id = row.int64(2);
    if (!row.isNull(3)) e.withdrawn = Withdrawal{row.text(3), 0, ""};
    owner.emplace(e.id, e.participant_id);
    sideOf(e.participant_id).enrolments.push_back(std::move(e));
  }
  for (const Row& row : tx.query("SELECT a.enrolment_id, a.session_id, a.status FROM attendance a"
                                 " JOIN enrolments e ON e.id = a.enrolment_id"
                                 " WHERE e.participant_id IN (?, ?)",
                                 {kept.person.id, other.person.id})) {
    const Id enrolment_id = row.int64(0);
    sideOf(owner.at(enrolment_id)).marks[enrolment_id][row.int64(1)] =
        storedEnum(attendanceStatusFromString(row.text(2)), "attendance.status");
  }
  for (const Row& row : tx.query("SELECT c.id, c.enrolment_id, c.status FROM certificates c"
                                 " JOIN enrolments e ON e.id = c.enrolment_id"
                                 " WHERE e.participant_id IN (?, ?) ORDER BY c.id",
                                 {kept.person.id, other.person.id})) {
    Certificate c;
    c.id = row.int64(0);
    c.enrolment_id = row.int64(1);
    c.status = storedEnum(certificateStatusFromString(row.text(2)), "certificates.status");
    sideOf(owner.at(c.enrolment_id)).certificates.push_back(std::move(c));
  }
}

std::vector<Id> ids(Tx& tx, std::string_view sql, std::initializer_list<Param> params) {
  std::vector<Id> out;
  for (const Row& row : tx.query(sql, params)) out.push_back(row.int64(0));
  return out;
}

std::string markWord(const std::optional<AttendanceStatus>& status) {
  return status ? std::string(toString(*status)) : std::string();
}

}  // namespace

std::map<Id, std::map<Id, AttendanceStatus>> SqlMergeRepository::marks(Id participant_id) {
  return runner_.read([&](Tx& tx) {
    std::map<Id, std::map<Id, AttendanceStatus>> out;
    for (const Row& row : tx.query("SELECT a.enrolment_id, a.session_id, a.status FROM attendance a"
                                   " JOIN enrolments e ON e.id = a.enrolment_id"
                                   " WHERE e.participant_id = ?",
                                   {participant_id})) {
      out[row.int64(0)][row.int64(1)] =
          storedEnum(attendanceStatusFromString(row.text(2)), "attendance.status");
    }
    return out;
  });
}

ChangeEntry SqlMergeRepository::merge(Id kept_id, Id other_id,
                                      const std::vector<MarkChoice>& choices,
                                      std::optional<int> other_version,
                                      const ChangeContext& context) {
  const Id change_id = runner_.run([&](Tx& tx) -> Id {
    const std::map<Id, Locked> people = lockPeople(tx, kept_id, other_id);
    for (const Id id : {kept_id, other_id}) {
      const auto it = people.find(id);
      if (it == people.end() || it->second.merged_into) {
        throw Error(ErrorCode::not_found, "participant " + std::to_string(id) + " not found");
      }
    }
    const Locked& other_row = people.at(other_id);
    if (other_version && *other_version != other_row.version) {
      throw Error(ErrorCode::stale, "the record was changed since this version was read");
    }
    MergeSide kept;
    MergeSide other;
    kept.person.id = kept_id;
    other.person.id = other_id;
    readSides(tx, kept, other);
    const MergePlan plan = planMerge(kept, other, choices);

    std::vector<Id> cohorts;
    for (const auto& combined : plan.combined) cohorts.push_back(combined.cohort_id);
    std::sort(cohorts.begin(), cohorts.end());
    for (const Id cohort_id : cohorts) lockCohortSessions(tx, cohort_id);

    const Param by = accountParam(context.account_id);
    JsonRows moved;
    for (const Id enrolment_id : plan.moved) {
      tx.execute("UPDATE enrolments SET participant_id = ?, version = version + 1 WHERE id = ?",
                 {kept_id, enrolment_id});
      tx.execute("UPDATE certificates SET participant_id = ? WHERE enrolment_id = ?",
                 {kept_id, enrolment_id});
      refreshEnrolmentFacts(tx, enrolment_id);
      moved.add({static_cast<long long>(enrolment_id)});
    }
    JsonRows combined_rows;
    JsonRows mark_rows;
    JsonRows certificate_rows;
    const std::string merged_reason = "merged into record " + std::to_string(kept_id);
    for (const auto& combined : plan.combined) {
      combined_rows.add({static_cast<long long>(combined.cohort_id),
                         static_cast<long long>(combined.from),
                         static_cast<long long>(combined.into)});
      for (const auto& mark : combined.marks) {
        tx.execute(
            "INSERT INTO attendance (session_id, enrolment_id, status, marked_by, marked_at)"
            " VALUES (?, ?, ?, ?, UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE status = VALUES(status),"
            " marked_by = VALUES(marked_by), marked_at = VALUES(marked_at)",
            {mark.session_id, combined.into, toString(mark.after), by});
        tx.execute(
            "INSERT INTO attendance_audit (session_id, enrolment_id, old_status, new_status,"
            " changed_by, changed_at) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP())",
            {mark.session_id, combined.into, mark.before ? Param(toString(*mark.before)) : Param(),
             toString(mark.after), by});
        const std::string before = markWord(mark.before);
        mark_rows.add(
            {static_cast<long long>(combined.into), static_cast<long long>(mark.session_id),
             mark.before ? JsonRows::Cell(std::string_view(before)) : JsonRows::Cell(std::nullopt),
             toString(mark.after)});
      }
      for (const Id certificate_id : combined.certificates) {
        tx.execute("UPDATE certificates SET enrolment_id = ?, participant_id = ? WHERE id = ?",
                   {combined.into, kept_id, certificate_id});
        certificate_rows.add({static_cast<long long>(certificate_id),
                              static_cast<long long>(combined.from),
                              static_cast<long long>(combined.into)});
      }
      tx.execute(
          "UPDATE enrolments SET withdrawn_at = UTC_TIMESTAMP(), withdrawn_by = ?,"
          " withdraw_reason = ?, version = version + 1 WHERE id = ?",
          {by, merged_reason, combined.from});
      refreshEnrolmentFacts(tx, combined.from);
      refreshEnrolmentFacts(tx, combined.into);
    }
    for (const Id cohort_id : cohorts) recountCohort(tx, cohort_id);

    // Who could see the other record sees the kept one; its link trail becomes the kept one's.
    JsonRows access;
    for (const Id account_id :
         ids(tx,
             "SELECT o.account_id FROM participant_access o LEFT JOIN participant_access k"
             " ON k.participant_id = ? AND k.account_id = o.account_id"
             " WHERE o.participant_id = ? AND k.account_id IS NULL ORDER BY o.account_id",
             {kept_id, other_id})) {
      tx.execute("INSERT INTO participant_access (participant_id, account_id) VALUES (?, ?)",
                 {kept_id, account_id});
      access.add({static_cast<long long>(account_id)});
    }
    JsonRows links;
    for (const Id link_id :
         ids(tx, "SELECT id FROM participant_links WHERE participant_id = ? ORDER BY id",
             {other_id})) {
      links.add({static_cast<long long>(link_id)});
    }
    tx.execute("UPDATE participant_links SET participant_id = ? WHERE participant_id = ?",
               {kept_id, other_id});

    // The learner account: the other's goes to the kept person when they have none; when both
    // have one, the kept person's stays theirs and the other's is disabled (its sessions end).
    JsonRows account;
    const auto other_account = tx.queryOne(
        "SELECT id, disabled FROM accounts WHERE participant_id = ? FOR UPDATE", {other_id});
    if (other_account) {
      const Id account_id = other_account->int64(0);
      const bool kept_has =
          tx.queryOne("SELECT id FROM accounts WHERE participant_id = ? FOR UPDATE", {kept_id})
              .has_value();
      if (kept_has) {
        tx.execute("UPDATE accounts SET disabled = 1 WHERE id = ?", {account_id});
        tx.execute("DELETE FROM auth_tokens WHERE account_id = ?", {account_id});
        account.add({static_cast<long long>(account_id), "disabled",
                     static_cast<long long>(other_account->boolean(1) ? 1 : 0)});
      } else {
        tx.execute("UPDATE accounts SET participant_id = ? WHERE id = ?", {kept_id, account_id});
        account.add({static_cast<long long>(account_id), "moved", 0LL});
      }
    }

    tx.execute("UPDATE participants SET merged_into = ?, version = version + 1 WHERE id = ?",
               {kept_id, other_id});
    const std::string undo =
        "{\"kept\":" + std::to_string(kept_id) + ",\"other\":" + std::to_string(other_id) +
        ",\"moved\":" + moved.text() + ",\"combined\":" + combined_rows.text() +
        ",\"marks\":" + mark_rows.text() + ",\"certificates\":" + certificate_rows.text() +
        ",\"access\":" + access.text() + ",\"links\":" + links.text() +
        ",\"account\":" + account.text() + "}";
    FieldChanges fields;
    fields.add("merged_into", "null", jsonText(static_cast<long long>(kept_id)));
    return recordChange(tx, RecordedChange{.entity = Entity::participant,
                                           .entity_id = other_id,
                                           .version = other_row.version + 1,
                                           .action = std::string(kChangeMerged),
                                           .context = context,
                                           .fields = std::move(fields).take(),
                                           .participant_id = kept_id,
                                           .undo = undo});
  });
  return changes_.find(change_id).value();
}

ChangeEntry SqlMergeRepository::unmerge(Id merge_change_id, const ChangeContext& context) {
  const Id change_id = runner_.run([&](Tx& tx) -> Id {
    const auto change = tx.queryOne(
        "SELECT entity, action, undo_data, JSON_VALUE(undo_data, '$.kept'),"
        " JSON_VALUE(undo_data, '$.other') FROM changes WHERE id = ? FOR UPDATE",
        {merge_change_id});
    if (!change || change->text(0) != toString(Entity::participant) ||
        change->text(1) != kChangeMerged) {
      throw Error(ErrorCode::not_found, "no merge " + std::to_string(merge_change_id));
    }
    if (change->isNull(2)) throw Error(ErrorCode::conflict, "the merge was undone already");
    const std::string undo = change->text(2);
    const Id kept_id = std::stoll(change->text(3));
    const Id other_id = std::stoll(change->text(4));
    const std::map<Id, Locked> people = lockPeople(tx, kept_id, other_id);
    if (!people.contains(other_id) || people.at(other_id).merged_into != kept_id) {
      throw Error(ErrorCode::conflict, "the record is no longer merged into the one kept");
    }
    const int other_version = people.at(other_id).version;

    const auto rows = [&](std::string_view path, std::string_view columns) {
      return tx.query("SELECT * FROM JSON_TABLE(?, '$." + std::string(path) + "[*]' COLUMNS (" +
                          std::string(columns) + ")) j",
                      {undo});
    };
    const Rows combined = rows("combined",
                               "cohort BIGINT PATH '$[0]', from_id BIGINT PATH '$[1]',"
                               " into_id BIGINT PATH '$[2]'");
    std::vector<Id> cohorts;
    for (const Row& row : combined) cohorts.push_back(row.int64(0));
    std::sort(cohorts.begin(), cohorts.end());
    for (const Id cohort_id : cohorts) lockCohortSessions(tx, cohort_id);

    // What the merge wrote must be as it wrote it, else undoing would overwrite a later change.
    const Rows marks = rows("marks",
                            "into_id BIGINT PATH '$[0]', session_id BIGINT PATH '$[1]',"
                            " before_status VARCHAR(16) PATH '$[2]',"
                            " after_status VARCHAR(16) PATH '$[3]'");
    for (const Row& mark : marks) {
      const auto now = tx.queryOne(
          "SELECT status FROM attendance WHERE enrolment_id = ? AND session_id = ? FOR UPDATE",
          {mark.int64(0), mark.int64(1)});
      if (!now || now->text(0) != mark.text(3)) {
        throw Error(ErrorCode::conflict, "a mark the merge wrote (session " +
                                             std::to_string(mark.int64(1)) +
                                             ") was changed since: the merge cannot be undone");
      }
    }
    const Rows certificates = rows("certificates",
                                   "id BIGINT PATH '$[0]',"
                                   " from_id BIGINT PATH '$[1]',"
                                   " into_id BIGINT PATH '$[2]'");
    for (const Row& certificate : certificates) {
      const auto now = tx.queryOne("SELECT enrolment_id FROM certificates WHERE id = ? FOR UPDATE",
                                   {certificate.int64(0)});
      if (!now || now->int64(0) != certificate.int64(2)) {
        throw Error(ErrorCode::conflict, "a certificate the merge moved was moved since");
      }
    }

    const Param by = accountParam(context.account_id);
    for (const Row& row : rows("moved", "id BIGINT PATH '$[0]'")) {
      const Id enrolment_id = row.int64(0);
      tx.execute("UPDATE enrolments SET participant_id = ?, version = version + 1 WHERE id = ?",
                 {other_id, enrolment_id});
      tx.execute("UPDATE certificates SET participant_id = ? WHERE enrolment_id = ?",
                 {other_id, enrolment_id});
      refreshEnrolmentFacts(tx, enrolment_id);
    }
    for (const Row& mark : marks) {
      const Id into = mark.int64(0);
      const Id session_id = mark.int64(1);
      if (mark.isNull(2)) {
        // The kept enrolment had no mark there before the merge: it has none again (the audit
        // keeps the merge's write).
        tx.execute("DELETE FROM attendance WHERE enrolment_id = ? AND session_id = ?",
                   {into, session_id});
        continue;
      }
      tx.execute(
          "UPDATE attendance SET status = ?, marked_by = ?, marked_at = UTC_TIMESTAMP()"
          " WHERE enrolment_id = ? AND session_id = ?",
          {mark.text(2), by, into, session_id});
      tx.execute(
          "INSERT INTO attendance_audit (session_id, enrolment_id, old_status, new_status,"
          " changed_by, changed_at) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP())",
          {session_id, into, mark.text(3), mark.text(2), by});
    }
    for (const Row& certificate : certificates) {
      tx.execute("UPDATE certificates SET enrolment_id = ?, participant_id = ? WHERE id = ?",
                 {certificate.int64(1), other_id, certificate.int64(0)});
    }
    for (const Row& row : combined) {
      tx.execute(
          "UPDATE enrolments SET withdrawn_at = NULL, withdrawn_by = NULL, withdraw_reason = NULL,"
          " version = version + 1 WHERE id = ?",
          {row.int64(1)});
      refreshEnrolmentFacts(tx, row.int64(1));
      refreshEnrolmentFacts(tx, row.int64(2));
    }
    for (const Id cohort_id : cohorts) recountCohort(tx, cohort_id);

    for (const Row& row : rows("access", "account_id BIGINT PATH '$[0]'")) {
      tx.execute("DELETE FROM participant_access WHERE participant_id = ? AND account_id = ?",
                 {kept_id, row.int64(0)});
    }
    for (const Row& row : rows("links", "id BIGINT PATH '$[0]'")) {
      tx.execute("UPDATE participant_links SET participant_id = ? WHERE id = ?",
                 {other_id, row.int64(0)});
    }
    for (const Row& row : rows("account",
                               "id BIGINT PATH '$[0]', how VARCHAR(16) PATH '$[1]',"
                               " was_disabled INT PATH '$[2]'")) {
      if (row.text(1) == "moved") {
        tx.execute("UPDATE accounts SET participant_id = ? WHERE id = ?", {other_id, row.int64(0)});
      } else {
        tx.execute("UPDATE accounts SET disabled = ? WHERE id = ?", {row.int32(2), row.int64(0)});
      }
    }
    tx.execute("UPDATE participants SET merged_into = NULL, version = version + 1 WHERE id = ?",
               {other_id});
    // Undone once: the merge's entry is no longer undoable.
    tx.execute("UPDATE changes SET undo_data = NULL WHERE id = ?", {merge_change_id});
    FieldChanges fields;
    fields.add("merged_into", jsonText(static_cast<long long>(kept_id)), "null");
    return recordChange(tx, RecordedChange{.entity = Entity::participant,
                                           .entity_id = other_id,
                                           .version = other_version + 1,
                                           .action = std::string(kChangeUnmerged),
                                           .context = context,
                                           .fields = std::move(fields).take(),
                                           .participant_id = kept_id,
                                           .undo = {}});
  });
  return changes_.find(change_id).value();
}

}  // namespace courses::mariadb
