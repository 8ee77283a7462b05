#include <map>

#include "repositories.hpp"
#include "values.hpp"

namespace courses::mariadb {
namespace {

constexpr std::string_view kColumns =
    "id, code, title_kk, title_ru, title_en, donor, starts_on, ends_on, youth_from, youth_to";

std::string select(std::string_view tail) {
  return "SELECT " + std::string(kColumns) + " FROM programmes " + std::string(tail);
}

LocalizedText organisationFrom(const Row& row) {
  return {row.text(1), row.text(2), row.text(3)};
}

}  // namespace

Programme programmeFrom(const Row& row) {
  Programme p;
  p.id = row.int64(0);
  p.code = row.text(1);
  p.title = {row.text(2), row.text(3), row.text(4)};
  p.donor = row.text(5);
  p.starts_on = row.text(6);
  p.ends_on = row.text(7);
  p.youth.from = row.int32(8);
  p.youth.to = row.int32(9);
  return p;
}

std::string programmeSelect(std::string_view tail) {
  return select(tail);
}

Programme SqlProgrammeRepository::create(const Programme& programme) {
  return runner_.run([&](Tx& tx) {
    Programme stored = programme;
    stored.id = static_cast<Id>(
        tx.execute("INSERT INTO programmes (code, title_kk, title_ru, title_en, donor, starts_on,"
                   " ends_on, youth_from, youth_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   {programme.code, programme.title.kk, programme.title.ru, programme.title.en,
                    programme.donor, programme.starts_on, programme.ends_on, programme.youth.from,
                    programme.youth.to})
            .insert_id);
    // A programme has a handful of organisations: one statement each keeps the statement cache
    // small, and the order is kept by position.
    for (std::size_t position = 0; position < programme.organisations.size(); ++position) {
      const LocalizedText& name = programme.organisations[position];
      tx.execute(
          "INSERT INTO programme_organisations (programme_id, position, name_kk, name_ru, name_en)"
          " VALUES (?, ?, ?, ?, ?)",
          {stored.id, position, name.kk, name.ru, name.en});
    }
    return stored;
  });
}

std::optional<Programme> SqlProgrammeRepository::find(Id id) {
  static const std::string sql = select("WHERE id = ?");
  return runner_.read([&](Tx& tx) -> std::optional<Programme> {
    auto row = tx.queryOne(sql, {id});
    if (!row) return std::nullopt;
    Programme programme = programmeFrom(*row);
    for (const Row& organisation :
         tx.query("SELECT programme_id, name_kk, name_ru, name_en FROM programme_organisations"
                  " WHERE programme_id = ? ORDER BY position",
                  {id})) {
      programme.organisations.push_back(organisationFrom(organisation));
    }
    return programme;
  });
}

std::vector<Programme> SqlProgrammeRepository::list() {
  static const std::string sql = select("ORDER BY id");
  return runner_.read([&](Tx& tx) {
    std::vector<Programme> out;
    std::map<Id, std::size_t> index;
    for (const Row& row : tx.query(sql)) {
      index[row.int64(0)] = out.size();
      out.push_back(programmeFrom(row));
    }
    // Organisations of a programme created between the two reads have no entry and are left out
    // with their programme.
    for (const Row& organisation :
         tx.query("SELECT programme_id, name_kk, name_ru, name_en FROM programme_organisations"
                  " ORDER BY programme_id, position")) {
      const auto found = index.find(organisation.int64(0));
      if (found != index.end())
        out[found->second].organisations.push_back(organisationFrom(organisation));
    }
    return out;
  });
}

}  // namespace courses::mariadb
