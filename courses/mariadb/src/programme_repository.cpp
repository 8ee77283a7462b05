#include <algorithm>
#include <map>

#include "courses/error.hpp"
#include "repositories.hpp"
#include "values.hpp"

namespace courses::mariadb {
namespace {

constexpr std::string_view kColumns =
    "id, code, title_kk, title_ru, title_en, donor, starts_on, ends_on, youth_from, youth_to,"
    " version";

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
  p.version = row.int32(10);
  return p;
}

std::string programmeSelect(std::string_view tail) {
  return select(tail);
}

namespace {

// A programme has a handful of organisations: one statement each keeps the statement cache
// small, and the order is kept by position.
void insertOrganisations(Tx& tx, Id programme_id, const std::vector<LocalizedText>& names) {
  for (std::size_t position = 0; position < names.size(); ++position) {
    const LocalizedText& name = names[position];
    tx.execute(
        "INSERT INTO programme_organisations (programme_id, position, name_kk, name_ru, name_en)"
        " VALUES (?, ?, ?, ?, ?)",
        {programme_id, position, name.kk, name.ru, name.en});
  }
}

std::vector<LocalizedText> readOrganisations(Tx& tx, Id programme_id) {
  std::vector<LocalizedText> out;
  for (const Row& organisation :
       tx.query("SELECT programme_id, name_kk, name_ru, name_en FROM programme_organisations"
                " WHERE programme_id = ? ORDER BY position",
                {programme_id})) {
    out.push_back(organisationFrom(organisation));
  }
  return out;
}

}  // namespace

Programme SqlProgrammeRepository::update(Id id, const Programme& edited, const EditBasis& basis) {
  static const std::string lock_sql = select("WHERE id = ? FOR UPDATE");
  return runner_.run([&](Tx& tx) {
    const auto row = tx.queryOne(lock_sql, {id});
    if (!row) throw Error(ErrorCode::not_found, "programme not found");
    Programme before = programmeFrom(*row);
    before.organisations = readOrganisations(tx, id);
    if (basis.version && *basis.version != before.version) {
      throw Error(ErrorCode::stale, "the programme was changed since this version was read");
    }
    Programme after = edited;
    after.id = id;
    after.code = before.code;
    std::vector<FieldChange> fields = programmeChanges(before, after);
    if (fields.empty()) return before;
    const bool organisations_changed =
        std::any_of(fields.begin(), fields.end(),
                    [](const FieldChange& f) { return f.field == "organisations"; });
    tx.execute(
        "UPDATE programmes SET title_kk = ?, title_ru = ?, title_en = ?, donor = ?, starts_on = ?,"
        " ends_on = ?, youth_from = ?, youth_to = ?, version = version + 1 WHERE id = ?",
        {after.title.kk, after.title.ru, after.title.en, after.donor, after.starts_on,
         after.ends_on, after.youth.from, after.youth.to, id});
    if (organisations_changed) {
      tx.execute("DELETE FROM programme_organisations WHERE programme_id = ?", {id});
      insertOrganisations(tx, id, after.organisations);
    }
    after.version = before.version + 1;
    recordChange(tx, {.entity = Entity::programme,
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
    insertOrganisations(tx, stored.id, programme.organisations);
    return stored;
  });
}

std::optional<Programme> SqlProgrammeRepository::find(Id id) {
  static const std::string sql = select("WHERE id = ?");
  return runner_.read([&](Tx& tx) -> std::optional<Programme> {
    auto row = tx.queryOne(sql, {id});
    if (!row) return std::nullopt;
    Programme programme = programmeFrom(*row);
    programme.organisations = readOrganisations(tx, id);
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
