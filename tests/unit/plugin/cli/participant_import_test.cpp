#include "plugin/cli/participant_import.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <fstream>
#include <sstream>

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
  EXPECT_FALSE(columns.locality);
  EXPECT_TRUE(columns.ignored.empty());
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

TEST(ImportHeader, ReportsRepeatedAndMissingColumnsTogether) {
  const std::string message =
      headerError({"full_name", "full_name", "sex", "birth_year", "affiliation", "consent"});
  EXPECT_NE(message.find("repeated columns: full_name"), std::string::npos) << message;
  EXPECT_NE(message.find("missing columns: gender, locality or locality_id"), std::string::npos)
      << message;
  EXPECT_EQ(message.find("sex"), std::string::npos) << message;
}

TEST(ImportHeader, IgnoresColumnsOutsideTheFormatAndNamesThem) {
  const auto columns = parseImportHeader(record(
      1, {"№", "full_name", "gender", "birth_year", "KATO", "affiliation", "consent", " Notes ", ""}));
  EXPECT_EQ(columns.locality, 4u);  // "kato" is another name of locality
  EXPECT_EQ(columns.ignored, (std::vector<std::string>{"№", "Notes"}));
}

TEST(ImportHeader, AColumnUnderBothItsNamesIsRepeated) {
  EXPECT_NE(headerError({"full_name", "gender", "birth_year", "locality", "kato", "affiliation",
                         "consent"})
                .find("repeated columns: locality"),
            std::string::npos);
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
      record(5, {"", "x", "19x4", "999", "farmer", "youth;elderly", "", "", "maybe"}), columns,
      lookup(), kYear);
  ASSERT_FALSE(check.ok());
  auto has = [&](const std::string& prefix) {
    for (const auto& p : check.problems) {
      if (p.rfind(prefix, 0) == 0) return true;
    }
    return false;
  };
  for (const char* field : {"full_name:", "gender:", "birth_year:", "locality:",
                            "affiliation:", "vulnerable:", "consent:"}) {
    EXPECT_TRUE(has(field)) << field;
  }
  EXPECT_FALSE(has("locality_id:"));  // already reported under locality
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
  EXPECT_EQ(short_row.problems[0], "fields: expected 6 fields, as the header has, found 2");
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

/// A memory store with someLocalities(), an administrator and the participant service.
class ImportRegister : public ::testing::Test {
 protected:
  ImportRegister() {
    for (auto l : someLocalities()) {
      l.id = 0;
      repos.localities.create(l);
    }
    courses::Account admin_account;
    admin_account.login = "admin";
    admin_account.role = courses::Role::admin;
    admin_account = repos.accounts.create(admin_account, "");
    admin = courses::Actor{admin_account.id, courses::Role::admin, std::nullopt};
  }

  support::MemoryStore store;
  courses::Repositories repos = store.repositories();
  courses::Actor admin;
  const FixedClock clock;
  const AnyGlyph coverage;
  courses::ParticipantService service{repos, clock, coverage};
};

TEST_F(ImportRegister, RegistersGoodRowsAndSkipsDuplicatesAndBadRows) {
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

// A person typed another way in the same file is the same person: registered once, and the
// summary counts them as already registered, not as added.
TEST_F(ImportRegister, ThePersonTypedAnotherWayIsNotAddedTwice) {
  const auto stored = repos.localities.listAll();
  const std::string v = std::to_string(stored.back().id);
  const std::string file = "full_name,gender,birth_year,locality_id,affiliation,consent\n"
                           "Ахметов Талғат,male,1979," + v + ",other,yes\n"
                           "Талгат Ахметов,male,1979," + v + ",other,yes\n"
                           "Akhmetov Talgat,male,1979," + v + ",other,yes\n"
                           "Ахметов Асқар,male,1979," + v + ",other,yes\n";
  const auto check = checkImportFile(file, LocalityLookup(stored), kYear);
  const auto outcome = registerImportRows(check, service, admin, nullptr);
  EXPECT_EQ(outcome.created, 2u);
  EXPECT_EQ(outcome.duplicates, 2u);
  ASSERT_EQ(outcome.notes.size(), 2u);
  EXPECT_EQ(outcome.notes[0].line, 3u);
  EXPECT_EQ(outcome.notes[1].line, 4u);
  EXPECT_EQ(service.search(admin, "", {}).items.size(), 2u);
}

/// A place of the tree: its id, parent and names.
courses::Locality place(courses::Id id, std::optional<courses::Id> parent,
                        courses::LocalizedText name) {
  courses::Locality locality;
  locality.id = id;
  locality.parent_id = parent;
  locality.name = std::move(name);
  return locality;
}

/// Nura district and its settlement, whose Kazakh short names are one.
std::vector<courses::Locality> nura() {
  return {place(8, std::nullopt, {"Нұра ауданы", "Нуринский район", "Nura District"}),
          place(9, 8, {"Нұра кенті", "посёлок Нура", "Nura settlement"})};
}

TEST(LocalityLookup, FindsAPlaceByAUniqueShortName) {
  const LocalityLookup localities(nura());
  EXPECT_EQ(localities.named("Нура"), std::vector<courses::Id>{9});
  EXPECT_EQ(localities.named("нура кенті"), std::vector<courses::Id>{9});
  EXPECT_EQ(localities.named("Нуринский"), std::vector<courses::Id>{8});
  // An exact name first; a short name two places share names neither.
  EXPECT_EQ(localities.named("Нұра кенті"), std::vector<courses::Id>{9});
  EXPECT_EQ(localities.named("Нұра").size(), 2u);
  EXPECT_EQ(localities.named("Nura").size(), 2u);
  EXPECT_TRUE(localities.named("ауданы").empty());
  EXPECT_TRUE(localities.named("Нураз").empty());
}

TEST(LocalityLookup, FindsAPlaceHoweverItsLettersAreTyped) {
  std::vector<courses::Locality> tree = nura();
  tree.push_back(place(10, 8, {"Қ. Мыңбаев ауылдық округі", "", ""}));
  tree.push_back(place(11, 10, {"Ақмешіт", "", ""}));
  tree.push_back(place(12, std::nullopt, {"Өскемен қаласы", "", ""}));
  const LocalityLookup localities(tree);
  // Kazakh letters typed as their Russian-keyboard neighbours, kind words too.
  EXPECT_EQ(localities.named("Нура кенти"), std::vector<courses::Id>{9});
  EXPECT_EQ(localities.named("НУРА АУДАНЫ"), std::vector<courses::Id>{8});
  EXPECT_EQ(localities.named("К. Мынбаев ауылдык округи"), std::vector<courses::Id>{10});
  EXPECT_EQ(localities.named("к. мынбаев"), std::vector<courses::Id>{10});
  EXPECT_EQ(localities.named("Акмешит"), std::vector<courses::Id>{11});
  EXPECT_EQ(localities.named("акмешит ауылы"), std::vector<courses::Id>{11});
  EXPECT_EQ(localities.named("Ақмешит село"), std::vector<courses::Id>{11});
  EXPECT_EQ(localities.named("Оскемен"), std::vector<courses::Id>{12});
  EXPECT_EQ(localities.named("оскемен г."), std::vector<courses::Id>{12});
  // ё as е, and the short kind words.
  EXPECT_EQ(localities.named("п. Нура"), std::vector<courses::Id>{9});
  EXPECT_EQ(localities.named("поселок Нура"), std::vector<courses::Id>{9});
  EXPECT_EQ(localities.named("пос. нура"), std::vector<courses::Id>{9});
  // A name typed as stored wins over one that only reads the same: "Нура" is the settlement's
  // Russian name; "Нұра", the short name of both, stays ambiguous.
  EXPECT_EQ(localities.named("Нура"), std::vector<courses::Id>{9});
  EXPECT_EQ(localities.named("Нұра").size(), 2u);
  // Another name is not found by a letter or two in common.
  EXPECT_TRUE(localities.named("Ақмешітбай").empty());
  EXPECT_TRUE(localities.named("Нұрлы").empty());
  EXPECT_TRUE(localities.named("Мынбай").empty());
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// tests/data/participants_csv: the format's example, read the same by the web app's importer
// (plugin/web/test/participant_csv.test.mjs).
TEST(ImportFile, ReadsTheFormatsSampleAsItsExpectationSays) {
  const std::string dir = std::string(QATYSU_SOURCE_DIR) + "/tests/data/participants_csv/";
  const auto expected = boost::json::parse(readFile(dir + "expected.json")).as_object();
  std::vector<courses::Locality> localities;
  for (const auto& l : expected.at("localities").as_array()) {
    courses::Locality locality;
    locality.id = l.at("id").to_number<courses::Id>();
    if (l.at("kato").is_string()) locality.kato = std::string(l.at("kato").as_string());
    const auto& name = l.at("name").as_object();
    locality.name = {std::string(name.at("kk").as_string()), std::string(name.at("ru").as_string()),
                     std::string(name.at("en").as_string())};
    localities.push_back(locality);
  }
  const auto check = checkImportFile(readFile(dir + "sample.csv"), LocalityLookup(localities), kYear);

  // What the web app's import page is told for each cell (GET /localities?name=).
  const LocalityLookup lookup(localities);
  for (const auto& [cell, ids] : expected.at("locality_cells").as_object()) {
    std::vector<courses::Id> want;
    for (const auto& id : ids.as_array()) want.push_back(id.to_number<courses::Id>());
    EXPECT_EQ(lookup.named(std::string(cell)), want) << std::string(cell);
  }

  std::vector<std::string> ignored;
  for (const auto& c : expected.at("ignored_columns").as_array()) ignored.emplace_back(c.as_string());
  EXPECT_EQ(check.ignored_columns, ignored);

  const auto& rows = expected.at("rows").as_array();
  ASSERT_EQ(check.rows.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& want = rows[i].as_object();
    const auto& got = check.rows[i];
    SCOPED_TRACE("line " + std::to_string(got.line));
    EXPECT_EQ(got.line, want.at("line").to_number<std::size_t>());
    if (const auto* problems = want.if_contains("problems")) {
      std::set<std::string> want_fields;
      for (const auto& f : problems->as_array()) want_fields.emplace(f.as_string());
      std::set<std::string> got_fields;
      for (const auto& p : got.problems) got_fields.insert(p.substr(0, p.find(':')));
      EXPECT_EQ(got_fields, want_fields) << (got.problems.empty() ? "" : got.problems[0]);
      continue;
    }
    ASSERT_TRUE(got.ok()) << got.problems[0];
    const auto& person = want.at("person").as_object();
    const auto& p = *got.person;
    EXPECT_EQ(p.full_name, person.at("full_name").as_string());
    EXPECT_EQ(courses::toString(p.demographics.gender), person.at("gender").as_string());
    EXPECT_EQ(p.demographics.birth_year, person.at("birth_year").to_number<int>());
    EXPECT_EQ(p.demographics.locality_id, person.at("locality_id").to_number<courses::Id>());
    EXPECT_EQ(courses::toString(p.demographics.affiliation), person.at("affiliation").as_string());
    courses::VulnerableSet groups = 0;
    for (const auto& g : person.at("vulnerable").as_array()) {
      groups |= static_cast<courses::VulnerableSet>(
          *courses::vulnerableGroupFromString(std::string(g.as_string())));
    }
    EXPECT_EQ(p.demographics.vulnerable, groups);
    auto optional = [](const boost::json::value& v) {
      return v.is_null() ? std::optional<std::string>() : std::string(v.as_string());
    };
    EXPECT_EQ(p.phone, optional(person.at("phone")));
    EXPECT_EQ(p.email, optional(person.at("email")));
    EXPECT_EQ(p.consent, person.at("consent").as_bool());
  }
}

TEST(ImportFile, FindsTheSeparatorInTheHeaderAndSkipsBlankRows) {
  const std::string header = "full_name\tgender\tbirth_year\tlocality\taffiliation\tconsent\r\n";
  const auto tabs = checkImportFile(header + "Белов Юрий\tм\t1960\tИзенди\tother\tда\r\n\t\t\t\t\t\r\n",
                                    lookup(), kYear);
  ASSERT_EQ(tabs.rows.size(), 1u);
  EXPECT_TRUE(tabs.rows[0].ok()) << tabs.rows[0].problems[0];
  // A comma inside a quoted field does not make the file comma-separated.
  const auto semicolons = checkImportFile(
      "\"full_name\";\"notes, free\";gender;birth_year;locality;affiliation;consent\n"
      "Белов Юрий;;male;1960;354000000;other;yes\n",
      lookup(), kYear);
  ASSERT_EQ(semicolons.rows.size(), 1u);
  EXPECT_EQ(semicolons.ignored_columns, (std::vector<std::string>{"notes, free"}));
}

}  // namespace
}  // namespace plugin::cli
