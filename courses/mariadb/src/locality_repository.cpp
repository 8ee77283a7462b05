#include "courses/error.hpp"
#include "repositories.hpp"
#include "values.hpp"

namespace courses::mariadb {
namespace {

std::string select(std::string_view tail) {
  return "SELECT id, parent_id, kind, name_kk, name_ru, name_en, kato, version FROM localities " +
         std::string(tail);
}

std::vector<Locality> localitiesFrom(const Rows& rows) {
  std::vector<Locality> out;
  out.reserve(rows.size());
  for (const Row& row : rows) out.push_back(localityFrom(row));
  return out;
}

}  // namespace

Locality localityFrom(const Row& row) {
  Locality l;
  l.id = row.int64(0);
  l.parent_id = row.optInt64(1);
  l.kind = storedEnum(localityKindFromString(row.text(2)), "localities.kind");
  l.name = {row.text(3), row.text(4), row.text(5)};
  l.kato = row.optText(6);
  l.version = row.int32(7);
  return l;
}

std::string localitySelect(std::string_view tail) {
  return select(tail);
}

Locality SqlLocalityRepository::create(const Locality& locality) {
  return runner_.run([&](Tx& tx) {
    Locality stored = locality;
    stored.id = static_cast<Id>(
        tx.execute("INSERT INTO localities (parent_id, kind, name_kk, name_ru, name_en, kato)"
                   " VALUES (?, ?, ?, ?, ?, ?)",
                   {locality.parent_id, toString(locality.kind), locality.name.kk, locality.name.ru,
                    locality.name.en, locality.kato})
            .insert_id);
    return stored;
  });
}

std::optional<Locality> SqlLocalityRepository::find(Id id) {
  static const std::string sql = select("WHERE id = ?");
  return runner_.read([&](Tx& tx) -> std::optional<Locality> {
    auto row = tx.queryOne(sql, {id});
    if (!row) return std::nullopt;
    return localityFrom(*row);
  });
}

std::vector<Locality> SqlLocalityRepository::list(std::optional<Id> parent_id) {
  static const std::string children = select("WHERE parent_id = ? ORDER BY id");
  static const std::string roots = select("WHERE parent_id IS NULL ORDER BY id");
  return runner_.read([&](Tx& tx) {
    return localitiesFrom(parent_id ? tx.query(children, {*parent_id}) : tx.query(roots));
  });
}

Locality SqlLocalityRepository::update(Id id, const Locality& edited, const EditBasis& basis) {
  static const std::string lock_sql = select("WHERE id = ? FOR UPDATE");
  return runner_.run([&](Tx& tx) {
    const auto row = tx.queryOne(lock_sql, {id});
    if (!row) throw Error(ErrorCode::not_found, "locality not found");
    const Locality before = localityFrom(*row);
    if (basis.version && *basis.version != before.version) {
      throw Error(ErrorCode::stale, "the locality was changed since this version was read");
    }
    Locality after = edited;
    after.id = id;
    after.kind = before.kind;
    std::vector<FieldChange> fields = localityChanges(before, after);
    if (fields.empty()) return before;
    // A taken KATO code fails on the unique key: Error(conflict), nothing written.
    tx.execute(
        "UPDATE localities SET parent_id = ?, name_kk = ?, name_ru = ?, name_en = ?, kato = ?,"
        " version = version + 1 WHERE id = ?",
        {after.parent_id, after.name.kk, after.name.ru, after.name.en, after.kato, id});
    after.version = before.version + 1;
    recordChange(tx, {.entity = Entity::locality,
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

std::vector<Locality> SqlLocalityRepository::listAll() {
  static const std::string sql = select("ORDER BY id");
  return runner_.read([&](Tx& tx) { return localitiesFrom(tx.query(sql)); });
}

}  // namespace courses::mariadb
