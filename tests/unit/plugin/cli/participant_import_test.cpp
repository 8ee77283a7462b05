#include "plugin/cli/participant_import.hpp"

#include <gtest/gtest.h>

#include "courses/error.hpp"
#include "courses/rules.hpp"
#include "support/memory_store.hpp"

namespace plugin::cli {
namespace {

constexpr int kYear = 2026;

std::vector<courses::Locality> someLocalities() {
  courses::Locality region;
  region.id = 1;
  region.kind = courses::LocalityKind::region;
  region.name = {"Қарағанды облысы", "Карагандинская область", "Karaganda Region"};
  courses::Locality village;
  village.id = 7;
  village.parent_id = 1;
  village.name = {"Ізенді", "Изенди", "Izendi"};
  village.kato = "354000000";  // test data only
  return {region, village};
}

const LocalityLookup& lookup() {
  static const LocalityLookup kLookup(someLocalities());
  return kLookup;
}

CsvRecord record(std::size_t line, std::vector<std::string> fields) {
  return CsvRecord{line, std::move(fields)};
}

const CsvRecord kHeader = record(1, {"full_name", "gender", "birth_year", "locality_kato",
                                     "affiliation", "vulnerable", "phone", "email", "consent"});

TEST(ImportHeader, FindsColumnsInAnyOrderAndCase) {
  const auto columns = parseImportHeader(
      record(1, {" Consent ", "FULL_NAME", "gender", "birth_year", "locality_id", "affiliation"}));
  EXPECT_EQ(columns.count, 6u);
  EXPECT_EQ(columns.consent, 0u);
  EXPECT_EQ(columns.full_name, 1u);
  EXPECT_EQ(columns.locality_id, 4u);
  EXPECT_FALSE(columns.locality_kato);
  EXPECT_FALSE(columns.vulnerable);
}

std::string headerError(std::vector<std::string> names) {
  try {
    parseImportHeader(record(1, std::move(names)));
  } catch (const courses::Error& e) {
    EXPECT_EQ(e.code(), courses::ErrorCode::invalid_argument);
    return e.what();
  }
  ADD_FAILURE() << "header accepted";
  return {};
}

TEST(ImportHeader, ReportsUnknownRepeatedAndMissingColumnsTogether) {
  const std::string message =
      headerError({"full_name", "full_name", "sex", "birth_year", "affiliation", "consent"});
  EXPECT_NE(message.find("unknown columns: sex"), std::string::npos) << message;
  EXPECT_NE(message.find("repeated columns: full_name"), std::string::npos) << message;
  EXPECT_NE(message.find("missing columns: gender, locality_kato or locality_id"),
            std::string::npos)
      << message;
}

TEST(ImportHeader, WantsExactlyOneLocalityColumn) {
  EXPECT_NE(headerError({"full_name", "gender", "birth_year", "locality_id", "locality_kato",
                         "affiliation", "consent"})
                .find("not both"),
            std::string::npos);
}

TEST(ImportRow, AGoodRowBecomesAValidatedPerson) {
  const auto columns = parseImportHeader(kHeader);
  const auto check = checkImportRow(
      record(2, {"  Сәрсенбаева   Гауһар ", "Female", "1984", "354000000", "civil_society",
                 "youth; Single_Parent;", "+7 700 000 0000", "", "Yes"}),
      columns, lookup(), kYear);
  ASSERT_TRUE(check.ok()) << (check.problems.empty() ? "" : check.problems[0]);
  const auto& p = *check.person;
  EXPECT_EQ(p.full_name, "Сәрсенбаева Гауһар");
  EXPECT_EQ(p.demographics.gender, courses::Gender::female);
  EXPECT_EQ(p.demographics.birth_year, 1984);
  EXPECT_EQ(p.demographics.locality_id, 7);
  EXPECT_EQ(p.demographics.affiliation, courses::Affiliation::civil_society);
  EXPECT_EQ(p.demographics.vulnerable,
            static_cast<courses::VulnerableSet>(courses::VulnerableGroup::youth) |
                static_cast<courses::VulnerableSet>(courses::VulnerableGroup::single_parent));
  EXPECT_FALSE(p.email);
  EXPECT_TRUE(p.consent);
  EXPECT_EQ(check.line, 2u);
}

TEST(ImportRow, ReportsEveryProblemOfARow) {
  const auto columns = parseImportHeader(kHeader);
  const auto check = checkImportRow(
      record(5, {"", "woman", "19x4", "999", "farmer", "youth;elderly", "", "", "maybe"}), columns,
      lookup(), kYear);
  ASSERT_FALSE(check.ok());
  auto has = [&](const std::string& prefix) {
    for (const auto& p : check.problems) {
      if (p.rfind(prefix, 0) == 0) return true;
    }
    return false;
  };
  for (const char* field : {"full_name:", "gender:", "birth_year:", "locality_kato:",
                            "affiliation:", "vulnerable:", "consent:"}) {
    EXPECT_TRUE(has(field)) << field;
  }
  EXPECT_FALSE(has("locality_id:"));  // already reported under locality_kato
}

TEST(ImportRow, ConsentMustBeGiven) {
  const auto columns = parseImportHeader(kHeader);
  const auto check = checkImportRow(
      record(3, {"Орлов Павел", "male", "1975", "354000000", "other", "", "", "", "no"}), columns,
      lookup(), kYear);
  ASSERT_FALSE(check.ok());
  ASSERT_EQ(check.problems.size(), 1u);
  EXPECT_EQ(check.problems[0].rfind("consent:", 0), 0u);
}

TEST(ImportRow, ChecksLocalityIdsAndFieldCounts) {
  const auto columns = parseImportHeader(
      record(1, {"full_name", "gender", "birth_year", "locality_id", "affiliation", "consent"}));
  EXPECT_TRUE(checkImportRow(record(2, {"Белов Юрий", "male", "1960", "7", "other", "1"}), columns,
                             lookup(), kYear)
                  .ok());
  const auto unknown = checkImportRow(record(3, {"Белов Юрий", "male", "1960", "8", "other", "1"}),
                                      columns, lookup(), kYear);
  ASSERT_EQ(unknown.problems.size(), 1u);
  EXPECT_EQ(unknown.problems[0], "locality_id: no locality has id 8");
  const auto short_row =
      checkImportRow(record(4, {"Белов Юрий", "male"}), columns, lookup(), kYear);
  ASSERT_EQ(short_row.problems.size(), 1u);
  EXPECT_EQ(short_row.problems[0], "expected 6 fields, found 2");
}

/// A file with two good and two bad rows, naming the locality `village`.
std::string importFile(courses::Id village) {
  const std::string v = std::to_string(village);
  return "\xEF\xBB\xBF"
         "full_name,gender,birth_year,locality_id,affiliation,consent\r\n"
         "Жұмабаев Ерғали,male,1980," +
         v +
         ",entrepreneur,true\r\n"
         "\"Кузнецова\nОльга\",female,1991," +
         v +
         ",other,1\r\n"  // line break in a name: bad
         "Оспанова Ұлжан,female,1890," +
         v +
         ",other,1\r\n"  // born too early: bad
         "Қасымов Талғат,male,1979," +
         v + ",local_government,yes\r\n";
}

TEST(ImportFile, ReportsEveryBadRowWithItsLine) {
  const auto check = checkImportFile(importFile(7), lookup(), kYear);
  ASSERT_EQ(check.rows.size(), 4u);
  EXPECT_EQ(check.bad, 2u);
  EXPECT_TRUE(check.rows[0].ok());
  EXPECT_EQ(check.rows[1].line, 3u);
  EXPECT_FALSE(check.rows[1].ok());
  EXPECT_EQ(check.rows[2].line, 5u);
  EXPECT_FALSE(check.rows[2].ok());
  EXPECT_EQ(check.rows[3].line, 6u);
  EXPECT_TRUE(check.rows[3].ok());
}

TEST(ImportFile, RejectsEmptyFilesAndPassesCsvErrorsOn) {
  EXPECT_THROW(checkImportFile("", lookup(), kYear), courses::Error);
  EXPECT_THROW(checkImportFile("full_name,gender\n\"open", lookup(), kYear), CsvError);
}

class FixedClock final : public courses::Clock {
 public:
  courses::Timestamp now() const override { return "2026-01-01T00:00:00Z"; }
};

/// Draws everything: glyph coverage is tested with the fonts elsewhere; here only the import.
class AnyGlyph final : public courses::GlyphCoverage {
 public:
  std::optional<char32_t> firstMissing(std::string_view) const override { return std::nullopt; }
};

TEST(ImportRegister, RegistersGoodRowsAndSkipsDuplicatesAndBadRows) {
  support::MemoryStore store;
  auto repos = store.repositories();
  for (auto l : someLocalities()) {
    l.id = 0;
    repos.localities.create(l);
  }
  courses::Account admin_account;
  admin_account.login = "admin";
  admin_account.role = courses::Role::admin;
  admin_account = repos.accounts.create(admin_account, "");
  const courses::Actor admin{admin_account.id, courses::Role::admin, std::nullopt};
  const FixedClock clock;
  const AnyGlyph coverage;
  courses::ParticipantService service(repos, clock, coverage);

  const auto stored = repos.localities.listAll();
  const courses::Id village = stored.back().id;
  const LocalityLookup localities(stored);
  // The last row is the first person again, spelt with an extra space.
  const std::string file = importFile(village) + "Жұмабаев  Ерғали,male,1980," +
                           std::to_string(village) + ",other,yes\r\n";
  const auto check = checkImportFile(file, localities, kYear);
  std::size_t last_done = 0;
  const auto outcome =
      registerImportRows(check, service, admin, [&](std::size_t done, std::size_t total) {
        EXPECT_EQ(total, 5u);
        EXPECT_EQ(done, last_done + 1);
        last_done = done;
      });
  EXPECT_EQ(last_done, 5u);
  EXPECT_EQ(outcome.created, 2u);
  EXPECT_EQ(outcome.skipped_bad, 2u);
  EXPECT_EQ(outcome.duplicates, 1u);
  ASSERT_EQ(outcome.notes.size(), 1u);
  EXPECT_EQ(outcome.notes[0].line, 7u);
  EXPECT_EQ(outcome.notes[0].message.rfind("skipped, same person as #", 0), 0u)
      << outcome.notes[0].message;
  EXPECT_EQ(service.search(admin, "", {}).items.size(), 2u);

  // Importing the same file again creates nobody.
  const auto again = registerImportRows(check, service, admin, nullptr);
  EXPECT_EQ(again.created, 0u);
  EXPECT_EQ(again.duplicates, 3u);
}

}  // namespace
}  // namespace plugin::cli
