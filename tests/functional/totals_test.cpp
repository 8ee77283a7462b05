// Functional tests of the totals: the real server on a database holding the demo programme
// (loaded with `qatysu demo load`), read through the API, the CSV and the PDF summary.

#include "courses/totals.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "fixture.hpp"

namespace functional {
namespace {

using support::http::runProcess;
using support::http::TempDir;

/// The demo's results: distinct people trained per track.
const std::map<std::string, long long> kTrainedByTrack = {
    {"inclusive_planning", 60}, {"entrepreneurship", 50}, {"study_visit", 8}};

std::string str(const json::value& value) {
  return std::string(value.as_string());
}

/// RFC 4180: fields separated by `separator`, records by CRLF, quoted fields with doubled quotes.
std::vector<std::vector<std::string>> parseCsv(std::string_view text, char separator) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    any = true;
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == separator) {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      ++i;
      any = false;
    } else {
      field += c;
    }
  }
  if (any) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

/// Every whitespace run made a single space.
const std::string& inLanguage(const courses::LocalizedText& text, std::string_view language) {
  if (language == "kk") return text.kk;
  if (language == "ru") return text.ru;
  return text.en;
}

/// A number as the CSV writes it ("60", "1234", "<5").
long long csvNumber(const std::string& cell) {
  std::size_t used = 0;
  const long long value = std::stoll(cell, &used);
  if (used != cell.size()) throw std::runtime_error("not a whole number in the CSV: " + cell);
  return value;
}

class TotalsApi : public ServiceTest {
 protected:
  static void SetUpTestSuite() {
    key_dir_ = std::make_unique<TempDir>("qft-totals-key");
    startService(
        "qft_totals",
        [] {
          const auto accounts = key_dir_->path() / "demo-accounts.txt";
          const auto loaded =
              support::http::runCli({"demo", "load", "--as", admin_.login, "--accounts-file",
                                     accounts.string(), "--key", keyFile().string()},
                                    service().database().url());
          if (loaded.exit_code != 0) {
            throw std::runtime_error("qatysu demo load failed: " + loaded.describe());
          }
          demo_output_ = loaded.out;
          std::ifstream file(accounts);
          std::string login, password, role;
          while (file >> login >> password >> role) {
            if (role == "trainer" && trainer_.login.empty()) {
              trainer_ = service().login(login, password);
            } else if (role == "learner" && learner_.login.empty()) {
              learner_ = service().login(login, password);
            }
          }
          if (trainer_.login.empty() || learner_.login.empty()) {
            throw std::runtime_error("the demo accounts file names no trainer or no learner");
          }
        },
        {{"certificates.key_file", keyFile().string()}});
  }
  static void TearDownTestSuite() {
    stopService();
    key_dir_.reset();
  }

  static std::filesystem::path keyFile() { return key_dir_->path() / "signing.key"; }

  /// The demo's trained-by-track figures from one report broken down by track.
  static std::map<std::string, long long> trainedByTrack(const json::value& report) {
    std::map<std::string, long long> trained;
    for (const auto& cell : report.at("margins").at(0).as_array()) {
      trained[str(cell.at("keys").at(0))] = cell.at("measures").at("trained").as_int64();
    }
    return trained;
  }

  /// The CSV export in `language`, as rows (byte order mark checked and removed; fields split at
  /// ';' in kk and ru, at ',' in en).
  static std::vector<std::vector<std::string>> csvRows(std::string_view language) {
    auto reply = as(admin_).get("/api/v1/totals.csv?programme=LSG-EKZ&by=track&lang=" +
                                std::string(language));
    if (reply.status != 200) throw std::runtime_error("CSV export failed: " + reply.describe());
    if (reply.body.rfind("\xEF\xBB\xBF", 0) != 0) {
      throw std::runtime_error("the CSV does not start with a byte order mark");
    }
    return parseCsv(std::string_view(reply.body).substr(3), language == "en" ? ',' : ';');
  }

  static std::unique_ptr<TempDir> key_dir_;
  static std::string demo_output_;
  static Account trainer_;
  static Account learner_;
};

std::unique_ptr<TempDir> TotalsApi::key_dir_;
std::string TotalsApi::demo_output_;
Account TotalsApi::trainer_;
Account TotalsApi::learner_;

TEST_F(TotalsApi, DemoTrainsSixtyFiftyAndEightByTrack) {
  const auto report = expectJson(as(admin_).get("/api/v1/totals?programme=LSG-EKZ&by=track"), 200);
  EXPECT_EQ(str(report.at("programme").at("code")), "LSG-EKZ");
  EXPECT_EQ(trainedByTrack(report), kTrainedByTrack) << text(report);
  // One person may be trained in several tracks, but never counts twice in the total.
  const long long total = report.at("total").at("trained").as_int64();
  EXPECT_GT(total, 0);
  EXPECT_LE(total, 60 + 50 + 8);
  EXPECT_GE(report.at("total").at("reached").as_int64(), total);
  EXPECT_GE(report.at("total").at("enrolled").as_int64(),
            report.at("total").at("reached").as_int64());
  // The same by programme id.
  const long long id = report.at("programme").at("id").as_int64();
  const auto by_id = expectJson(
      as(admin_).get("/api/v1/totals?programme=" + std::to_string(id) + "&by=track"), 200);
  EXPECT_EQ(trainedByTrack(by_id), kTrainedByTrack);
}

TEST_F(TotalsApi, CsvOpensBackWithTheSameNumbers) {
  for (const std::string language : {"kk", "en"}) {
    SCOPED_TRACE(language);
    const auto rows = csvRows(language);
    const std::string trained_label =
        inLanguage(courses::label(courses::Measure::trained), language);
    // The header row names the track dimension and the measures in the language.
    std::size_t header = rows.size();
    std::size_t trained_column = 0;
    for (std::size_t r = 0; r < rows.size() && header == rows.size(); ++r) {
      const auto at = std::find(rows[r].begin(), rows[r].end(), trained_label);
      if (at != rows[r].end()) {
        header = r;
        trained_column = static_cast<std::size_t>(at - rows[r].begin());
      }
    }
    ASSERT_LT(header, rows.size()) << "no header row with " << trained_label;
    EXPECT_EQ(rows[header].front(),
              inLanguage(courses::label(courses::Dimension::track), language));
    std::map<std::string, long long> trained;
    for (const auto& [track, expected] : kTrainedByTrack) {
      const std::string label = inLanguage(courses::trackLabel(track), language);
      for (std::size_t r = header + 1; r < rows.size(); ++r) {
        if (!rows[r].empty() && rows[r].front() == label && trained_column < rows[r].size()) {
          trained[track] = csvNumber(rows[r][trained_column]);
        }
      }
    }
    EXPECT_EQ(trained, kTrainedByTrack);
  }
}

TEST_F(TotalsApi, PdfSummaryHoldsTheFiguresAndTheKazakhTitle) {
  auto reply = as(admin_).get("/api/v1/totals.pdf?programme=LSG-EKZ&lang=kk");
  ASSERT_EQ(reply.status, 200u) << reply.describe().substr(0, 500);
  EXPECT_EQ(reply.header("Content-Type"), "application/pdf");
  EXPECT_EQ(reply.body.rfind("%PDF-", 0), 0u);
  const std::string disposition = reply.header("Content-Disposition");
  EXPECT_NE(disposition.find("filename=\"totals_LSG-EKZ_"), std::string::npos) << disposition;
  EXPECT_NE(disposition.find(".pdf\""), std::string::npos) << disposition;

  const std::string pdf_text = pdfText(reply.body);
  for (const char* figure : {"60", "50", "8"}) {
    EXPECT_TRUE(
        std::regex_search(pdf_text, std::regex(std::string("(^|[^0-9])") + figure + "([^0-9]|$)")))
        << figure << " is not in: " << pdf_text;
  }
  const auto programmes = expectJson(as(admin_).get("/api/v1/programmes"), 200);
  std::string title;
  for (const auto& programme : items(programmes)) {
    if (str(programme.at("code")) == "LSG-EKZ") title = str(programme.at("title").at("kk"));
  }
  ASSERT_FALSE(title.empty());
  // The title may wrap: its first three words are enough to know it.
  std::istringstream words(title);
  std::string first_words, word;
  for (int i = 0; i < 3 && words >> word; ++i) first_words += (i > 0 ? " " : "") + word;
  EXPECT_NE(pdf_text.find(first_words), std::string::npos)
      << first_words << " is not in: " << pdf_text;
}

TEST_F(TotalsApi, XlsxIsAWorkbook) {
  auto reply = as(admin_).get("/api/v1/totals.xlsx?programme=LSG-EKZ&by=gender,district&lang=ru");
  ASSERT_EQ(reply.status, 200u) << reply.describe().substr(0, 500);
  EXPECT_EQ(reply.body.rfind(std::string("PK\x03\x04", 4), 0), 0u);
  TempDir dir("qft-totals-xlsx");
  writeFile(dir.path() / "totals.xlsx", reply.body);
  auto listing = runProcess({"unzip", "-Z1", (dir.path() / "totals.xlsx").string()}, {}, {});
  ASSERT_EQ(listing.exit_code, 0) << listing.describe();
  EXPECT_NE(listing.out.find("xl/workbook.xml"), std::string::npos) << listing.out;
  EXPECT_NE(listing.out.find("xl/worksheets/sheet1.xml"), std::string::npos) << listing.out;
}

TEST_F(TotalsApi, TrainerGetsOnlyTheirCohorts) {
  std::set<std::string> own;
  const auto cohorts = expectJson(as(trainer_).get("/api/v1/cohorts"), 200);
  for (const auto& cohort : items(cohorts)) {
    own.insert(std::to_string(cohort.at("id").as_int64()));
  }
  ASSERT_FALSE(own.empty());
  const auto theirs =
      expectJson(as(trainer_).get("/api/v1/totals?programme=LSG-EKZ&by=cohort"), 200);
  const auto everyone =
      expectJson(as(admin_).get("/api/v1/totals?programme=LSG-EKZ&by=cohort"), 200);
  std::set<std::string> counted;
  for (const auto& cell : theirs.at("margins").at(0).as_array()) {
    counted.insert(str(cell.at("keys").at(0)));
  }
  EXPECT_FALSE(counted.empty());
  EXPECT_TRUE(std::includes(own.begin(), own.end(), counted.begin(), counted.end()))
      << text(theirs);
  EXPECT_LT(counted.size(), everyone.at("margins").at(0).as_array().size());
  EXPECT_LT(theirs.at("total").at("enrolled").as_int64(),
            everyone.at("total").at("enrolled").as_int64());
  EXPECT_TRUE(theirs.at("targets").as_array().empty());
  // Trainers read targets but do not set them.
  const std::string targets = "/api/v1/programmes/" +
                              std::to_string(theirs.at("programme").at("id").as_int64()) +
                              "/targets";
  EXPECT_EQ(as(trainer_).get(targets).status, 200u);
  EXPECT_TRUE(isProblem(as(trainer_).put(targets, R"({"targets":[]})"), {403}));
}

TEST_F(TotalsApi, LearnerIsRefused) {
  for (const char* route :
       {"/api/v1/totals", "/api/v1/totals.csv", "/api/v1/totals.xlsx", "/api/v1/totals.pdf"}) {
    EXPECT_TRUE(isProblem(as(learner_).get(std::string(route) + "?programme=LSG-EKZ"), {403}))
        << route;
  }
  EXPECT_TRUE(isProblem(anonymous().get("/api/v1/totals?programme=LSG-EKZ"), {401}));
}

TEST_F(TotalsApi, TargetsRoundTripAndShowProgress) {
  const auto report = expectJson(as(admin_).get("/api/v1/totals?programme=LSG-EKZ"), 200);
  const std::string targets = "/api/v1/programmes/" +
                              std::to_string(report.at("programme").at("id").as_int64()) +
                              "/targets";
  const std::string body =
      R"({"targets":[{"measure":"trained","track":"inclusive_planning","value":60},)"
      R"({"measure":"trained","track":"entrepreneurship","value":50},)"
      R"({"measure":"trained","track":"study_visit","value":8}]})";
  const auto put = expectJson(as(admin_).put(targets, body), 200);
  EXPECT_EQ(put.at("targets").as_array().size(), 3u);
  const auto stored = expectJson(as(admin_).get(targets), 200);
  std::map<std::string, long long> values;
  for (const auto& target : stored.at("targets").as_array()) {
    EXPECT_EQ(str(target.at("measure")), "trained");
    values[str(target.at("track"))] = target.at("value").as_int64();
  }
  EXPECT_EQ(values, kTrainedByTrack);

  const auto with_progress = expectJson(as(admin_).get("/api/v1/totals?programme=LSG-EKZ"), 200);
  const auto& progress = with_progress.at("targets").as_array();
  ASSERT_EQ(progress.size(), 3u) << text(with_progress);
  for (const auto& item : progress) {
    const std::string track = str(item.at("track"));
    EXPECT_EQ(item.at("target").as_int64(), kTrainedByTrack.at(track)) << track;
    EXPECT_EQ(item.at("actual").as_int64(), kTrainedByTrack.at(track)) << track;
    EXPECT_DOUBLE_EQ(item.at("progress").to_number<double>(), 1.0) << track;
  }

  // A bad target list is refused and changes nothing.
  EXPECT_TRUE(isProblem(
      as(admin_).put(targets, R"({"targets":[{"measure":"attendance_rate","value":1}]})"), {422}));
  EXPECT_EQ(expectJson(as(admin_).get(targets), 200), stored);
}

TEST_F(TotalsApi, BadQueriesAre400Problems) {
  for (const char* query :
       {"programme=LSG-EKZ&by=colour", "programme=LSG-EKZ&from=2019-02-30",
        "programme=LSG-EKZ&by=gender,district,track", "programme=LSG-EKZ&suppress=1",
        "programme=LSG-EKZ&colour=red", "programme=LSG-EKZ&programme=LSG-EKZ",
        "programme=LSG-EKZ&age_bands=60,14"}) {
    const auto reply = as(admin_).get(std::string("/api/v1/totals?") + query);
    EXPECT_TRUE(isProblem(reply, {400})) << query;
  }
  EXPECT_TRUE(isProblem(as(admin_).get("/api/v1/totals.csv?programme=LSG-EKZ&lang=de"), {400}));
  EXPECT_TRUE(isProblem(as(admin_).get("/api/v1/totals?programme=NO-SUCH"), {404}));
}

}  // namespace
}  // namespace functional
