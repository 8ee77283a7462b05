#include "repositories.hpp"
#include "values.hpp"

namespace courses::mariadb {
namespace {

constexpr std::string_view kColumns =
    "id, code, title_kk, title_ru, title_en, donor, starts_on, ends_on";

Programme programmeFrom(const Row& row) {
  Programme p;
  p.id = row.int64(0);
  p.code = row.text(1);
  p.title = {row.text(2), row.text(3), row.text(4)};
  p.donor = row.text(5);
  p.starts_on = row.text(6);
  p.ends_on = row.text(7);
  return p;
}

std::string select(std::string_view tail) {
  return "SELECT " + std::string(kColumns) + " FROM programmes " + std::string(tail);
}

}  // namespace

Programme SqlProgrammeRepository::create(const Programme& programme) {
  return runner_.run([&](Tx& tx) {
    Programme stored = programme;
    stored.id = static_cast<Id>(
        tx.execute("INSERT INTO programmes (code, title_kk, title_ru, title_en, donor, starts_on,"
                   " ends_on) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   {programme.code, programme.title.kk, programme.title.ru, programme.title.en,
                    programme.donor, programme.starts_on, programme.ends_on})
            .insert_id);
    return stored;
  });
}

std::optional<Programme> SqlProgrammeRepository::find(Id id) {
  static const std::string sql = select("WHERE id = ?");
  return runner_.read([&](Tx& tx) -> std::optional<Programme> {
    auto row = tx.queryOne(sql, {id});
    if (!row) return std::nullopt;
    return programmeFrom(*row);
  });
}

std::vector<Programme> SqlProgrammeRepository::list() {
  static const std::string sql = select("ORDER BY id");
  return runner_.read([&](Tx& tx) {
    std::vector<Programme> out;
    for (const Row& row : tx.query(sql)) out.push_back(programmeFrom(row));
    return out;
  });
}

}  // namespace courses::mariadb
