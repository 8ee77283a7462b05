#include "repositories.hpp"
#include "values.hpp"

namespace courses::mariadb {
namespace {

std::string select(std::string_view tail) {
  return "SELECT id, parent_id, kind, name_kk, name_ru, name_en, kato FROM localities " +
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

std::vector<Locality> SqlLocalityRepository::listAll() {
  static const std::string sql = select("ORDER BY id");
  return runner_.read([&](Tx& tx) { return localitiesFrom(tx.query(sql)); });
}

}  // namespace courses::mariadb
