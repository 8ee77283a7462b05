#include <algorithm>
#include <unordered_map>

#include "courses/error.hpp"
#include "repositories.hpp"
#include "values.hpp"

namespace courses::mariadb {
namespace {

constexpr std::string_view kColumns =
    "SELECT c.id, c.entity, c.entity_id, c.version, c.action, c.participant_id, c.account_id,"
    " c.at, c.reason, c.undo_data FROM changes c ";

constexpr int kMaxPageSize = 500;

ChangeEntry entryFrom(const Row& row) {
  ChangeEntry entry;
  entry.id = row.int64(0);
  entry.entity = storedEnum(entityFromString(row.text(1)), "changes.entity");
  entry.entity_id = row.int64(2);
  entry.version = row.int32(3);
  entry.action = row.text(4);
  entry.participant_id = row.optInt64(5);
  entry.account_id = accountColumn(row, 6);
  entry.at = row.text(7);
  entry.reason = row.optText(8);
  entry.undo = row.optText(9).value_or("");
  return entry;
}

/// The entries of `sql` (which selects kColumns) with their fields, read in the same transaction.
std::vector<ChangeEntry> entriesWithFields(Tx& tx, std::string_view sql,
                                           std::initializer_list<Param> params) {
  std::vector<ChangeEntry> entries;
  for (const Row& row : tx.query(sql, params)) entries.push_back(entryFrom(row));
  if (entries.empty()) return entries;
  std::vector<Param> ids;
  ids.reserve(entries.size());
  std::unordered_map<Id, std::size_t> index;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    ids.emplace_back(entries[i].id);
    index.emplace(entries[i].id, i);
  }
  tx.each(
      "SELECT change_id, field, old_value, new_value FROM change_fields WHERE change_id IN (" +
          repeatRows("?", ids.size()) + ") ORDER BY change_id, position",
      ids, [&](const Row& row) {
        entries[index.at(row.int64(0))].fields.push_back({row.text(1), row.text(2), row.text(3)});
      });
  return entries;
}

Page<ChangeEntry> pageOf(std::vector<ChangeEntry> entries, int limit) {
  Page<ChangeEntry> page;
  if (entries.size() > static_cast<std::size_t>(limit)) {
    entries.resize(static_cast<std::size_t>(limit));
    page.next_after = entries.back().id;
  }
  page.items = std::move(entries);
  return page;
}

}  // namespace

Id recordChange(Tx& tx, const RecordedChange& change) {
  const ChangeContext& context = change.context;
  const auto result = tx.execute(
      "INSERT INTO changes (entity, entity_id, version, action, participant_id, account_id, at,"
      " reason, undo_data) VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(), ?, ?)",
      {toString(change.entity), change.entity_id, change.version, change.action,
       change.participant_id ? Param(*change.participant_id) : Param(),
       accountParam(context.account_id), context.reason,
       change.undo.empty() ? std::optional<std::string>() : std::optional(change.undo)});
  const Id change_id = static_cast<Id>(result.insert_id);
  if (!change.fields.empty()) {
    std::vector<Param> params;
    params.reserve(change.fields.size() * 5);
    int position = 0;
    for (const FieldChange& field : change.fields) {
      params.emplace_back(change_id);
      params.emplace_back(position++);
      params.emplace_back(std::string_view(field.field));
      params.emplace_back(std::string_view(field.before));
      params.emplace_back(std::string_view(field.after));
    }
    tx.execute(
        "INSERT INTO change_fields (change_id, position, field, old_value, new_value) VALUES " +
            repeatRows("(?, ?, ?, ?, ?)", change.fields.size()),
        params);
  }
  return change_id;
}

Page<ChangeEntry> SqlChangeLogRepository::history(Entity entity, Id entity_id,
                                                  const PageRequest& page) {
  static const std::string sql = std::string(kColumns) +
                                 "WHERE c.entity = ? AND c.entity_id = ? AND c.id > ?"
                                 " ORDER BY c.id LIMIT ?";
  const int limit = std::clamp(page.limit, 1, kMaxPageSize);
  return runner_.run([&](Tx& tx) {
    return pageOf(entriesWithFields(tx, sql, {toString(entity), entity_id, page.after, limit + 1}),
                  limit);
  });
}

Page<ChangeEntry> SqlChangeLogRepository::personHistory(Id participant_id,
                                                        const PageRequest& page) {
  static const std::string sql =
      std::string(kColumns) +
      "WHERE ((c.entity = 'participant' AND c.entity_id = ?) OR c.participant_id = ?)"
      " AND c.id > ? ORDER BY c.id LIMIT ?";
  const int limit = std::clamp(page.limit, 1, kMaxPageSize);
  return runner_.run([&](Tx& tx) {
    return pageOf(
        entriesWithFields(tx, sql, {participant_id, participant_id, page.after, limit + 1}), limit);
  });
}

std::vector<ChangeEntry> SqlChangeLogRepository::since(Entity entity, Id entity_id, int version) {
  static const std::string sql = std::string(kColumns) +
                                 "WHERE c.entity = ? AND c.entity_id = ? AND c.version > ?"
                                 " ORDER BY c.id LIMIT 100";
  return runner_.run([&](Tx& tx) {
    return entriesWithFields(tx, sql, {toString(entity), entity_id, version});
  });
}

std::optional<ChangeEntry> SqlChangeLogRepository::find(Id change_id) {
  static const std::string sql = std::string(kColumns) + "WHERE c.id = ?";
  return runner_.run([&](Tx& tx) -> std::optional<ChangeEntry> {
    auto entries = entriesWithFields(tx, sql, {change_id});
    if (entries.empty()) return std::nullopt;
    return std::move(entries.front());
  });
}

}  // namespace courses::mariadb
