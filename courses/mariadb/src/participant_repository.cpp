#include <mysqld_error.h>

#include <algorithm>

#include "courses/error.hpp"
#include "courses/name_match.hpp"
#include "db_error.hpp"
#include "repositories.hpp"
#include "values.hpp"

namespace courses::mariadb {
namespace {

constexpr std::string_view kColumns =
    "SELECT p.id, p.full_name, p.gender, p.birth_year, p.locality_id, p.affiliation,"
    " p.vulnerable, p.phone, p.email, p.consent, p.created_by, p.created_at, p.updated_at,"
    " p.version, p.merged_into FROM participants p ";

Participant participantFrom(const Row& row) {
  Participant p;
  p.id = row.int64(0);
  p.full_name = row.text(1);
  p.demographics.gender = storedEnum(genderFromString(row.text(2)), "participants.gender");
  p.demographics.birth_year = row.int32(3);
  p.demographics.locality_id = row.int64(4);
  p.demographics.affiliation =
      storedEnum(affiliationFromString(row.text(5)), "participants.affiliation");
  p.demographics.vulnerable = vulnerableColumn(row, 6);
  p.phone = row.optText(7);
  p.email = row.optText(8);
  p.consent = row.boolean(9);
  p.created_by = accountColumn(row, 10);
  p.created_at = row.text(11);
  p.updated_at = row.text(12);
  p.version = row.int32(13);
  if (const auto kept = row.optInt64(14)) p.merged_into = static_cast<Id>(*kept);
  return p;
}

// Who may see a person: the account that registered them, those granted access (confirmed them
// as the same person) and the trainers of a cohort the person is enrolled in. Three parameters:
// the account id, three times. The registrar is read from participants.created_by, so that a
// registration is one statement; the participant_access rows that earlier versions wrote for
// registrars stay and say the same.
constexpr std::string_view kVisibleTo =
    "(p.created_by = ?"
    " OR EXISTS (SELECT 1 FROM participant_access pa"
    " WHERE pa.participant_id = p.id AND pa.account_id = ?)"
    " OR EXISTS (SELECT 1 FROM enrolments e JOIN cohort_trainers ct ON ct.cohort_id = e.cohort_id"
    " WHERE e.participant_id = p.id AND ct.account_id = ?))";

constexpr int kMaxPageSize = 500;

}  // namespace

Participant SqlParticipantRepository::create(const Participant& person, const DuplicateKey& key) {
  const std::optional<std::string> created_at =
      person.created_at.empty() ? std::nullopt : std::optional(sqlDateTime(person.created_at));
  const Demographics& d = person.demographics;
  // One statement in autocommit: the person's row is the whole registration (see kVisibleTo).
  return runner_.single([&](Tx& tx) {
    Participant stored = person;
    const Rows inserted = tx.query(
        "INSERT INTO participants (full_name, name_key, match_key, search_text, birth_year,"
        " locality_id, gender, affiliation, vulnerable, phone, email, consent, created_by,"
        " created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE(?, UTC_TIMESTAMP()),"
        " COALESCE(?, UTC_TIMESTAMP())) RETURNING id, created_at, updated_at",
        {person.full_name, key.name_key, key.match_key, key.search_text, key.birth_year,
         key.locality_id, toString(d.gender), toString(d.affiliation), d.vulnerable, person.phone,
         person.email, person.consent, accountParam(person.created_by), created_at, created_at});
    stored.id = inserted.at(0).int64(0);
    stored.created_at = inserted.at(0).text(1);
    stored.updated_at = inserted.at(0).text(2);
    return stored;
  });
}

std::optional<Participant> SqlParticipantRepository::find(Id id) {
  static const std::string sql = std::string(kColumns) + "WHERE p.id = ?";
  return runner_.read([&](Tx& tx) -> std::optional<Participant> {
    auto row = tx.queryOne(sql, {id});
    if (!row) return std::nullopt;
    return participantFrom(*row);
  });
}

std::vector<Participant> SqlParticipantRepository::findByKey(const DuplicateKey& key) {
  // ix_participants_match narrows to the few people with this key and birth year; their
  // localities are then compared with the one typed: the same, a sibling (another village of
  // the same rural district), or the one just above or below it (a village and its rural
  // district, a settlement and its district).
  static const std::string sql =
      std::string(kColumns) +
      "JOIN localities pl ON pl.id = p.locality_id JOIN localities tl ON tl.id = ?"
      " WHERE p.match_key = ? AND p.birth_year = ? AND p.merged_into IS NULL"
      " AND (pl.id = tl.id OR pl.parent_id = tl.parent_id OR pl.parent_id = tl.id"
      " OR pl.id = tl.parent_id)"
      " ORDER BY p.id";
  return runner_.read([&](Tx& tx) {
    std::vector<Participant> out;
    for (const Row& row : tx.query(sql, {key.locality_id, key.match_key, key.birth_year})) {
      out.push_back(participantFrom(row));
    }
    return out;
  });
}

std::vector<Participant> SqlParticipantRepository::sharingKeys(int limit) {
  static const std::string sql =
      std::string(kColumns) +
      "JOIN (SELECT match_key, birth_year FROM participants WHERE merged_into IS NULL"
      " GROUP BY match_key, birth_year HAVING COUNT(*) > 1) g"
      " ON g.match_key = p.match_key AND g.birth_year = p.birth_year"
      " WHERE p.merged_into IS NULL ORDER BY p.id LIMIT ?";
  return runner_.read([&](Tx& tx) {
    std::vector<Participant> out;
    for (const Row& row : tx.query(sql, {std::max(limit, 0)})) out.push_back(participantFrom(row));
    return out;
  });
}

Page<Participant> SqlParticipantRepository::search(const std::string& name_key_fragment,
                                                   std::optional<Id> visible_to,
                                                   const PageRequest& page) {
  const int limit = std::clamp(page.limit, 1, kMaxPageSize);
  std::string sql = std::string(kColumns) + "WHERE p.id > ? AND p.merged_into IS NULL";
  std::vector<Param> params{page.after};
  const std::string pattern = likeContains(name_key_fragment);
  // Parameters refer to their text: the word patterns live as long as the query.
  std::vector<std::string> word_patterns;
  if (!name_key_fragment.empty()) {
    // courses::foundBySearch: the name as typed contains the fragment, or each of the
    // fragment's words begins a word of the name however it is spelled.
    sql += " AND (p.name_key LIKE ? ESCAPE '\\\\'";
    params.emplace_back(pattern);
    for (const std::string& word : searchWords(name_key_fragment)) {
      word_patterns.push_back(likeContains(" " + word));
    }
    if (!word_patterns.empty()) {
      sql += " OR (";
      for (std::size_t i = 0; i < word_patterns.size(); ++i) {
        sql += i == 0 ? "" : " AND ";
        sql += "p.search_text LIKE ? ESCAPE '\\\\'";
        params.emplace_back(word_patterns[i]);
      }
      sql += ")";
    }
    sql += ")";
  }
  if (visible_to) {
    sql += " AND " + std::string(kVisibleTo);
    params.insert(params.end(), 3, Param(*visible_to));
  }
  // One more than asked tells whether another page follows.
  sql += " ORDER BY p.id LIMIT ?";
  params.emplace_back(limit + 1);
  return runner_.read([&](Tx& tx) {
    Page<Participant> result;
    for (const Row& row : tx.query(sql, params)) result.items.push_back(participantFrom(row));
    if (result.items.size() > static_cast<std::size_t>(limit)) {
      result.items.pop_back();
      result.next_after = result.items.back().id;
    }
    return result;
  });
}

bool SqlParticipantRepository::isVisibleTo(Id participant_id, Id account_id) {
  static const std::string sql =
      "SELECT 1 FROM participants p WHERE p.id = ? AND " + std::string(kVisibleTo);
  return runner_.read([&](Tx& tx) {
    return tx.queryOne(sql, {participant_id, account_id, account_id, account_id}).has_value();
  });
}

void SqlParticipantRepository::grantAccess(Id participant_id, Id account_id,
                                           std::optional<Id> cohort_id, const Timestamp& at) {
  const std::string linked_at = sqlDateTime(at);
  runner_.run([&](Tx& tx) {
    // Not INSERT IGNORE: that would also hide a missing person or account.
    try {
      tx.execute(
          "INSERT INTO participant_access (participant_id, account_id) VALUES (?, ?)"
          " ON DUPLICATE KEY UPDATE account_id = account_id",
          {participant_id, account_id});
      tx.execute(
          "INSERT INTO participant_links (participant_id, account_id, cohort_id, linked_at)"
          " VALUES (?, ?, ?, ?)",
          {participant_id, account_id, cohort_id, linked_at});
    } catch (const DbError& error) {
      if (error.code() == ER_NO_REFERENCED_ROW_2) {
        throw Error(ErrorCode::not_found, "participant not found");
      }
      throw;
    }
  });
}

std::vector<ParticipantLink> SqlParticipantRepository::links(Id participant_id) {
  return runner_.read([&](Tx& tx) {
    std::vector<ParticipantLink> out;
    for (const Row& row : tx.query("SELECT account_id, cohort_id, linked_at FROM participant_links"
                                   " WHERE participant_id = ? ORDER BY id",
                                   {participant_id})) {
      out.push_back(ParticipantLink{row.int64(0), row.optInt64(1), row.text(2)});
    }
    return out;
  });
}

Participant SqlParticipantRepository::update(Id id, const ParticipantPatch& patch,
                                             const DuplicateKey& key, const EditBasis& basis) {
  static const std::string lock_sql = std::string(kColumns) + "WHERE p.id = ? FOR UPDATE";
  return runner_.run([&](Tx& tx) {
    auto row = tx.queryOne(lock_sql, {id});
    if (!row) throw Error(ErrorCode::not_found, "participant not found");
    const Participant before = participantFrom(*row);
    if (basis.version && *basis.version != before.version) {
      throw Error(ErrorCode::stale, "the person was changed since this version was read");
    }
    // An erased record stays erased (courses/data_rights.hpp): nothing is written back into it.
    if (tx.queryOne("SELECT 1 FROM participants WHERE id = ? AND erased_at IS NOT NULL", {id})) {
      throw Error(ErrorCode::conflict, "the person is erased");
    }
    Participant p = before;
    applyPatch(p, patch);
    std::vector<FieldChange> fields = participantChanges(before, p);
    if (fields.empty()) return before;
    const Demographics& d = p.demographics;
    tx.execute(
        "UPDATE participants SET full_name = ?, name_key = ?, match_key = ?, search_text = ?,"
        " birth_year = ?, locality_id = ?, gender = ?, affiliation = ?, vulnerable = ?,"
        " phone = ?, email = ?, consent = ?, updated_at = UTC_TIMESTAMP(), version = version + 1"
        " WHERE id = ?",
        {p.full_name, key.name_key, key.match_key, key.search_text, key.birth_year, key.locality_id,
         toString(d.gender), toString(d.affiliation), d.vulnerable, p.phone, p.email, p.consent,
         id});
    p.version = before.version + 1;
    recordChange(tx, {.entity = Entity::participant,
                      .entity_id = id,
                      .version = p.version,
                      .action = std::string(kChangeEdited),
                      .context = basis.change,
                      .fields = std::move(fields),
                      .participant_id = id,
                      .undo = {}});
    p.updated_at = tx.queryOne("SELECT updated_at FROM participants WHERE id = ?", {id})->text(0);
    return p;
  });
}

}  // namespace courses::mariadb
