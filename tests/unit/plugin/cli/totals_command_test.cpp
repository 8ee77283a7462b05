#include "plugin/cli/totals_command.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "certificates/fonts.hpp"
#include "courses/text.hpp"
#include "courses/totals.hpp"
#include "plugin/certify/maker.hpp"
#include "plugin/cli/demo.hpp"
#include "support/memory_store.hpp"

namespace plugin::cli {
namespace {

struct CliResult {
  int status = -1;
  std::string out;
  std::string err;
};

/// Runs `qatysu ARGS...` against `store`, or without any storage when it is null.
CliResult run(support::MemoryStore* store, std::vector<std::string> args,
              bool out_is_terminal = false) {
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  CliResult result;
  const Console console{in, out, err, false, false, out_is_terminal};
  if (store) {
    result.status = runCli(
        args, [store] { return store->repositories(); }, console);
  } else {
    result.status = runCli(args, std::optional<std::string>(), console);
  }
  result.out = out.str();
  result.err = err.str();
  return result;
}

/// An in-memory store holding an admin account and the demo programme (no certificates).
class DemoStore {
 public:
  DemoStore() {
    courses::Account account;
    account.login = "admin";
    account.role = courses::Role::admin;
    account = store.repositories().accounts.create(account, "");
    const courses::Actor admin{account.id, courses::Role::admin, std::nullopt};
    const courses::SystemClock clock;
    const plugin::certify::FontGlyphCoverage coverage(certificates::FontSet::dejavu());
    loadDemoPlan(buildDemoPlan(), store.repositories(), clock, coverage, admin);
  }
  support::MemoryStore store;
};

/// A file of its own under the system's temporary directory, removed at the end.
class TempFile {
 public:
  explicit TempFile(const std::string& suffix) {
    path_ = std::filesystem::temp_directory_path() /
            ("qatysu-totals-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + suffix);
    std::filesystem::remove(path_);
  }
  ~TempFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  std::string path() const { return path_.string(); }
  std::string read() const {
    std::ifstream file(path_, std::ios::binary);
    std::ostringstream bytes;
    bytes << file.rdbuf();
    return bytes.str();
  }

 private:
  std::filesystem::path path_;
};

std::vector<std::string> lines(const std::string& text, const std::string& end = "\n") {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (auto at = text.find(end); at != std::string::npos; at = text.find(end, start)) {
    out.push_back(text.substr(start, at - start));
    start = at + end.size();
  }
  if (start < text.size()) out.push_back(text.substr(start));
  return out;
}

/// The cells of a text table's line: columns are two or more spaces apart.
std::vector<std::string> columns(const std::string& line) {
  static const std::regex kGap(" {2,}");
  std::vector<std::string> out;
  for (std::sregex_token_iterator it(line.begin(), line.end(), kGap, -1), end; it != end; ++it) {
    if (!it->str().empty()) out.push_back(*it);
  }
  return out;
}

/// Trained people per track label from a table (text columns or CSV cells) whose first column is
/// the track.
std::map<std::string, std::string> trainedByTrack(const std::vector<std::vector<std::string>>& rows,
                                                  const std::string& trained_label) {
  std::map<std::string, std::string> out;
  std::optional<std::size_t> column;
  for (const auto& row : rows) {
    if (column && row.empty()) break;  // the end of the first table
    if (!column) {
      const auto at = std::find(row.begin(), row.end(), trained_label);
      if (at != row.end()) column = static_cast<std::size_t>(at - row.begin());
      continue;
    }
    if (row.size() > *column) out[row[0]] = row[*column];
  }
  return out;
}

const std::map<std::string, std::string> kDemoTrained = {
    {courses::trackLabel("inclusive_planning").en, "60"},
    {courses::trackLabel("entrepreneurship").en, "50"},
    {courses::trackLabel("study_visit").en, "8"},
};

std::map<std::string, std::string> onlyTracks(std::map<std::string, std::string> found) {
  std::erase_if(found, [](const auto& entry) { return !kDemoTrained.contains(entry.first); });
  return found;
}

TEST(FormatTextTable, AlignsColumnsByCodePointsWithNumbersOnTheRight) {
  plugin::totals::Table table;
  table.title = "Оқытылғандар";
  table.header = {"Аудан", "Оқытылды", "Қатысу"};
  table.percent_columns = {false, false, true};
  table.rows = {{std::string("Нұра ауданы"), 60LL, 0.875},
                {std::string("Glubokoe"), 1234LL, std::monostate{}},
                {std::string("Шемонаиха ауданы"), plugin::totals::Hidden{5}, 1.0}};
  table.notes = {"Осал топтар қосылмайды."};
  const std::string text = formatTextTable(table, courses::Language::en);
  const auto all = lines(text);
  ASSERT_EQ(all.size(), 9u) << text;
  EXPECT_EQ(all[0], "Оқытылғандар");
  EXPECT_EQ(all[1], "");
  // Header, rule and rows end in the same column: the last column holds numbers.
  for (std::size_t i = 2; i <= 6; ++i) {
    EXPECT_EQ(courses::codePointCount(all[i]), courses::codePointCount(all[2])) << all[i];
  }
  EXPECT_EQ(all[3].substr(0, 16), std::string(16, '-')) << "the rule spans the widest name";
  EXPECT_EQ(all[4].rfind("Нұра ауданы      ", 0), 0u) << all[4];  // text on the left
  const auto en = courses::Language::en;
  EXPECT_EQ(columns(all[4]), (std::vector<std::string>{"Нұра ауданы", "60",
                                                       plugin::totals::formatPercent(0.875, en)}));
  EXPECT_EQ(columns(all[5]),
            (std::vector<std::string>{"Glubokoe", plugin::totals::formatCount(1234, en), "–"}));
  EXPECT_EQ(columns(all[6]), (std::vector<std::string>{"Шемонаиха ауданы", "<5",
                                                       plugin::totals::formatPercent(1.0, en)}));
  EXPECT_EQ(all[8], "Осал топтар қосылмайды.");
}

TEST(FormatTextTable, AMissingValueLeavesATextColumnOnTheLeft) {
  plugin::totals::Table table;
  table.header = {"Gender", "District", "Sessions"};
  table.rows = {{std::string("Female"), std::string("Nura District"), std::monostate{}},
                {std::string("Total"), std::monostate{}, 95LL}};
  const auto all = lines(formatTextTable(table, courses::Language::en));
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[2], "Female  Nura District         –");
  EXPECT_EQ(all[3], "Total   –                    95");
}

TEST(TotalsCommand, PrintsTheDemosTrainedPeopleByTrack) {
  DemoStore demo;
  const CliResult r = run(&demo.store, {"totals", "--programme", "LSG-EKZ", "--by", "track"});
  ASSERT_EQ(r.status, kExitOk) << r.err;
  std::vector<std::vector<std::string>> rows;
  for (const auto& line : lines(r.out)) rows.push_back(columns(line));
  EXPECT_EQ(onlyTracks(trainedByTrack(rows, courses::label(courses::Measure::trained).en)),
            kDemoTrained)
      << r.out;
  // The programme's title heads the table, and the targets follow it.
  EXPECT_EQ(r.out.rfind("Active participation of local stakeholders", 0), 0u) << r.out;
  bool target_shown = false;
  for (const auto& line : lines(r.out)) {
    const auto cells = columns(line);
    target_shown = target_shown ||
                   (cells.size() >= 4 && cells[1] == courses::trackLabel("inclusive_planning").en &&
                    cells[2] == "60" && cells[3] == "60");
  }
  EXPECT_TRUE(target_shown) << r.out;
}

TEST(TotalsCommand, AlignsKazakhLabels) {
  DemoStore demo;
  const CliResult r =
      run(&demo.store, {"totals", "--programme", "LSG-EKZ", "--by", "district", "--lang", "kk"});
  ASSERT_EQ(r.status, kExitOk) << r.err;
  EXPECT_NE(r.out.find("Глубокое ауданы"), std::string::npos) << r.out;
  // Every line of the first table (header to the blank line after it) is as wide as the header.
  const auto all = lines(r.out);
  std::size_t header = 0;
  while (header + 1 < all.size() && !all[header + 1].starts_with("--")) ++header;
  ASSERT_LT(header + 1, all.size()) << r.out;
  const std::size_t width = courses::codePointCount(all[header]);
  for (std::size_t i = header; i < all.size() && !all[i].empty(); ++i) {
    EXPECT_EQ(courses::codePointCount(all[i]), width) << all[i];
  }
}

TEST(TotalsCommand, WritesCsvWithAByteOrderMarkToOut) {
  DemoStore demo;
  const TempFile file(".csv");
  const CliResult r = run(&demo.store, {"totals", "--programme", "LSG-EKZ", "--by", "track",
                                        "--format", "csv", "--out", file.path()});
  ASSERT_EQ(r.status, kExitOk) << r.err;
  EXPECT_NE(r.out.find(file.path()), std::string::npos) << r.out;
  const std::string csv = file.read();
  ASSERT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u) << "UTF-8 with a byte order mark";
  std::vector<std::vector<std::string>> rows;
  for (const auto& line : lines(csv.substr(3), "\r\n")) {
    std::vector<std::string> cells;
    std::stringstream cells_in(line);
    for (std::string cell; std::getline(cells_in, cell, ',');) cells.push_back(cell);
    rows.push_back(cells);
  }
  EXPECT_EQ(onlyTracks(trainedByTrack(rows, courses::label(courses::Measure::trained).en)),
            kDemoTrained)
      << csv;
}

TEST(TotalsCommand, WritesXlsxAndPdfToOutButNeverBinaryToATerminal) {
  DemoStore demo;
  const TempFile xlsx(".xlsx");
  const TempFile pdf(".pdf");
  const std::vector<std::string> base = {"totals", "--programme", "LSG-EKZ", "--by",
                                         "gender,district"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  const CliResult x = run(&demo.store, with({"--format", "xlsx", "--out", xlsx.path()}), true);
  ASSERT_EQ(x.status, kExitOk) << x.err;
  EXPECT_EQ(xlsx.read().rfind("PK", 0), 0u);
  const CliResult p =
      run(&demo.store, with({"--format", "pdf", "--lang", "kk", "--out", pdf.path()}), true);
  ASSERT_EQ(p.status, kExitOk) << p.err;
  EXPECT_EQ(pdf.read().rfind("%PDF-", 0), 0u);

  const CliResult terminal = run(&demo.store, with({"--format", "pdf"}), true);
  EXPECT_EQ(terminal.status, kExitUsage);
  EXPECT_NE(terminal.err.find("--out"), std::string::npos) << terminal.err;
  EXPECT_TRUE(terminal.out.empty());
  const CliResult piped = run(&demo.store, with({"--format", "xlsx"}), false);
  ASSERT_EQ(piped.status, kExitOk) << piped.err;
  EXPECT_EQ(piped.out.rfind("PK", 0), 0u);
}

TEST(TotalsCommand, BadArgumentsAreUsageErrorsFoundBeforeAnyDatabase) {
  const std::vector<std::vector<std::string>> bad = {
      {"totals", "--by", "colour"},
      {"totals", "--by", "gender,gender"},
      {"totals", "--by", "gender,district,track"},
      {"totals", "--from", "2017-13-01"},
      {"totals", "--from", "2019-01-01", "--to", "2018-01-01"},
      {"totals", "--format", "docx"},
      {"totals", "--lang", "de"},
      {"totals", "--suppress", "1"},
      {"totals", "--suppress", "many"},
      {"totals", "--age-bands", "14,x"},
      {"totals", "--age-bands", "36,14"},
      {"totals", "--programme"},
      {"totals", "--colour", "red"},
      {"totals", "summary"},
      {"totals", "rebuild", "--by", "gender"},
      {"totals", "check", "now"},
      {"targets"},
      {"targets", "remove"},
      {"targets", "set", "--measure", "trained", "--value", "60"},
      {"targets", "set", "--programme", "LSG-EKZ", "--measure", "happiness", "--value", "60"},
      {"targets", "set", "--programme", "LSG-EKZ", "--measure", "trained", "--value", "sixty"},
      {"targets", "set", "--programme", "LSG-EKZ", "--measure", "trained"},
      {"targets", "list", "--value", "3"},
  };
  for (const auto& args : bad) {
    const CliResult r = run(nullptr, args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(r.status, kExitUsage) << joined << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("qatysu: ", 0), 0u) << joined;
    EXPECT_EQ(r.err.find("QATYSU_DB_URL"), std::string::npos) << joined << r.err;
  }
  // A good command line gets as far as the missing database.
  const CliResult good = run(nullptr, {"totals", "--by", "gender,district", "--suppress"});
  EXPECT_EQ(good.status, kExitFailure);
  EXPECT_NE(good.err.find("QATYSU_DB_URL"), std::string::npos) << good.err;
}

TEST(TotalsCommand, AnUnknownProgrammeFails) {
  DemoStore demo;
  const CliResult r = run(&demo.store, {"totals", "--programme", "NO-SUCH"});
  EXPECT_EQ(r.status, kExitFailure);
  EXPECT_NE(r.err.find("NO-SUCH"), std::string::npos) << r.err;
  EXPECT_EQ(run(&demo.store, {"targets", "list", "--programme", "999"}).status, kExitFailure);
}

TEST(TotalsCommand, RebuildAndCheckNeedARealDatabase) {
  DemoStore demo;
  for (const char* sub : {"rebuild", "check"}) {
    const CliResult r = run(&demo.store, {"totals", sub});
    EXPECT_EQ(r.status, kExitFailure) << sub;
    EXPECT_NE(r.err.find("MariaDB"), std::string::npos) << r.err;
  }
}

TEST(TargetsCommand, SetReplacesOneTargetAndListShowsProgress) {
  DemoStore demo;
  const CliResult set =
      run(&demo.store, {"targets", "set", "--programme", "LSG-EKZ", "--measure", "trained",
                        "--track", "inclusive_planning", "--value", "75"});
  ASSERT_EQ(set.status, kExitOk) << set.err;
  const CliResult whole = run(&demo.store, {"targets", "set", "--programme", "LSG-EKZ", "--measure",
                                            "reached", "--value", "100"});
  ASSERT_EQ(whole.status, kExitOk) << whole.err;

  const CliResult list = run(&demo.store, {"targets", "list"});
  ASSERT_EQ(list.status, kExitOk) << list.err;
  std::map<std::string, std::vector<std::string>> by_scope;
  for (const auto& line : lines(list.out)) {
    const auto cells = columns(line);
    if (cells.size() >= 5 && cells[0] == "LSG-EKZ") by_scope[cells[1] + " " + cells[2]] = cells;
  }
  ASSERT_EQ(by_scope.size(), 4u) << list.out;
  EXPECT_EQ(by_scope.at("trained inclusive_planning")[3], "75");
  EXPECT_EQ(by_scope.at("trained inclusive_planning")[4], "60");
  EXPECT_EQ(by_scope.at("trained inclusive_planning")[5],
            plugin::totals::formatPercent(0.8, courses::Language::en));
  EXPECT_EQ(by_scope.at("trained entrepreneurship")[3], "50");
  EXPECT_EQ(by_scope.at("trained entrepreneurship")[4], "50");
  EXPECT_EQ(by_scope.at("trained study_visit")[4], "8");
  EXPECT_EQ(by_scope.at("reached (whole programme)")[3], "100");
}

TEST(TargetsCommand, OnlyAnAdminSetsTargets) {
  DemoStore demo;
  const CliResult r = run(&demo.store, {"targets", "set", "--programme", "LSG-EKZ", "--measure",
                                        "trained", "--value", "94", "--as", "trainer.nura"});
  EXPECT_EQ(r.status, kExitFailure);
  EXPECT_NE(r.err.find("trainer"), std::string::npos) << r.err;
  const CliResult list = run(&demo.store, {"targets", "list", "--programme", "LSG-EKZ"});
  EXPECT_EQ(list.out.find("(whole programme)"), std::string::npos) << list.out;
}

}  // namespace
}  // namespace plugin::cli
