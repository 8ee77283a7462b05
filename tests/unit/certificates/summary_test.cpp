#include "certificates/summary.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "certificates/error.hpp"
#include "support/tools.hpp"

// The summary is read back the way a person's tools read it: pdftotext (also with -bbox),
// pdffonts, pdfinfo, pdftoppm (poppler-utils) and qpdf, run on files in a temporary directory.
// A PNG of each language is left in CERTIFICATES_TEST_OUTPUT_DIR for a person to look at.

namespace certificates {
namespace {

using support::Box;
using support::Output;
using support::run;
using support::words;

namespace fs = std::filesystem;

constexpr const char* kNbsp = "\u00A0";

Summary kazakh() {
  Summary s;
  s.language = "kk";
  s.title = "Белсенді қатысу: жергілікті өзін-өзі басқаруды дамыту";
  s.subtitle = "Жиынтық көрсеткіштер · кезең: 2017-02-01 – 2020-01-31 · донор: Еуропалық Одақ";
  s.figures = {{"Тіркелгендер", std::string("1") + kNbsp + "234"},
               {"Қамтылғандар", "412"},
               {"Оқытылғандар", "318"},
               {"Жеңілдікпен оқытылғандар", "12"},
               {"Сертификат алғандар", "296"},
               {"Сабақтар", "148"},
               {"Қатысушы-сағаттар", std::string("5") + kNbsp + "920"},
               {"Қатысу деңгейі", std::string("87,5") + kNbsp + "%"}};
  s.targets = {{"Оқытылғандар: инклюзивті жоспарлау", 60, 60, "60 / 60 (100 %)"},
               {"Оқытылғандар: кәсіпкерлік", 41, 50, "41 / 50 (82 %)"},
               {"Оқытылғандар: тәжірибе алмасу сапары", 5, 8, "5 / 8 (62,5 %)"}};
  s.charts = {{"Бағыттар бойынша оқытылғандар",
               {{"Инклюзивті жоспарлау", 60, "60"},
                {"Кәсіпкерлік", 41, "41"},
                {"Тәжірибе алмасу сапары", 5, "5"}}},
              {"Жынысы бойынша оқытылғандар",
               {{"Әйелдер", 190, "190"}, {"Ерлер", 124, "124"}, {"Көрсетілмеген", {}, "<5"}}},
              {"Аудандар бойынша оқытылғандар",
               {{"Екібастұз қаласы", 88, "88"},
                {"Ақтоғай ауданы", 61, "61"},
                {"Баянауыл ауданы", 57, "57"},
                {"Жаңаөзен шаһар округі", 40, "40"},
                {"Май ауданы", {}, "<5"},
                {"Шарбақты ауданы", 33, "33"},
                {"Ертіс ауданы", 27, "27"},
                {"Үлкен Түбек ауылы", 12, "12"}}}};
  s.notes = {
      "Әр адам бір рет саналады: бір адам бірнеше курсқа қатысса да, жалпы сан бір рет "
      "есептеледі.",
      "5-тен аз мәндер жасырылған (<5)."};
  s.footer = "Qatysu · 2026-11-27 21:00 UTC жасалды";
  return s;
}

Summary russian() {
  Summary s;
  s.language = "ru";
  s.title = "Активное участие: развитие местного самоуправления";
  s.subtitle = "Итоги · период: 01.02.2017 – 31.01.2020 · донор: Европейский союз";
  s.figures = {{"Записано", std::string("1") + kNbsp + "234"},
               {"Охвачено", "412"},
               {"Обучено", "318"},
               {"Сертификатов", "296"}};
  s.targets = {{"Обучено: инклюзивное планирование", 60, 60, "60 / 60 (100 %)"},
               {"Обучено: предпринимательство", 41, 50, "41 / 50 (82 %)"},
               {"Обучено: ознакомительная поездка", 9, 8, "9 / 8 (112,5 %)"},
               {"Сертифицировано: вся программа", 296, 400, "296 / 400 (74 %)"}};
  s.charts = {{"Обучено по направлениям",
               {{"Инклюзивное планирование", 60, "60"},
                {"Предпринимательство", 41, "41"},
                {"Ознакомительная поездка", 9, "9"}}},
              {"Обучено по районам",
               {{"г. Экибастуз", 88, "88"},
                {"Актогайский район", 61, "61"},
                {"Баянаульский район", 57, "57"},
                {"Майский район", {}, "<5"},
                {"Посёлок Ёлкино", 19, "19"}}}};
  s.notes = {"Каждый человек считается один раз.", "Значения меньше 5 скрыты (<5)."};
  s.footer = "Qatysu · создано 2026-11-27 21:00 UTC";
  return s;
}

Summary english() {
  Summary s;
  s.language = "en";
  s.title = "Active Participation: local self-government development";
  s.subtitle = "Totals, 2017-02-01 – 2020-01-31 · donor: European Union";
  s.figures = {{"Enrolled", "1,234"},           {"Reached", "412"},   {"Trained", "318"},
               {"Trained with a waiver", "12"}, {"Certified", "296"}, {"Sessions", "148"},
               {"Participant-hours", "5,920"}};
  s.targets = {{"Trained: inclusive planning", 60, 60, "60 / 60 (100%)"}};
  s.charts = {{"Trained by district",
               {{"Ekibastuz town", 88, "88"},
                {"Aktogay district", 61, "61"},
                {"Bayanaul district", 57, "57"},
                {"May district", {}, "<5"},
                {"Other (4)", 71, "71+"}}}};
  s.notes = {"Each person counts once.", "Values under 5 are hidden (<5)."};
  s.footer = "Qatysu · generated 2026-11-27 21:00 UTC";
  return s;
}

/// Every limit at once, with long texts everywhere.
Summary crowded() {
  Summary s = kazakh();
  const std::string long_text =
      "Жергілікті өзін-өзі басқару органдары мен азаматтық қоғам өкілдерінің ауылдық аумақтарды "
      "дамытудың инклюзивті жоспарларын бірлесіп әзірлеуі және оларды іске асыруы";
  s.title = long_text;
  s.subtitle = long_text + " · " + long_text;
  s.targets.clear();
  for (int i = 0; i < 8; ++i) {
    s.targets.push_back({long_text, 10.0 * i, 50,
                         std::to_string(10 * i) + " / 50 (" + std::to_string(20 * i) + " %)"});
  }
  s.charts.clear();
  for (int c = 0; c < 3; ++c) {
    SummaryChart chart{long_text, {}};
    for (int b = 0; b < 12; ++b) {
      if (b % 5 == 4) {
        chart.bars.push_back({long_text, {}, "<5"});
      } else {
        chart.bars.push_back({long_text, 1000.0 * (12 - b), std::to_string(1000 * (12 - b))});
      }
    }
    s.charts.push_back(std::move(chart));
  }
  s.notes.clear();
  for (int i = 1; i <= 8; ++i)
    s.notes.push_back("Ескерту " + std::to_string(i) + ": " + long_text + " " + long_text);
  s.footer = long_text + " " + long_text;
  return s;
}

const FontSet& fonts() {
  static const FontSet set = FontSet::dejavu();
  return set;
}

std::string collapseSpaces(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\f';
    if (space) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

template <typename Action>
void expectError(Action action, Error::Kind kind, const std::string& field) {
  try {
    action();
    ADD_FAILURE() << "no error for " << field;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    EXPECT_EQ(e.field(), field) << e.what();
  }
}

class SummaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("qatysu-summary-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const Summary& summary, const std::string& name) {
    const fs::path path = dir_ / (name + ".pdf");
    std::ofstream(path, std::ios::binary) << renderSummary(summary, fonts());
    return path;
  }

  static std::string text(const fs::path& pdf) {
    return collapseSpaces(run("pdftotext -enc UTF-8 " + pdf.string() + " - 2>/dev/null").text);
  }

  static std::vector<Box> boxes(const fs::path& pdf) {
    const Output html = run("pdftotext -bbox " + pdf.string() + " - 2>/dev/null");
    EXPECT_EQ(html.status, 0);
    double width = 0;
    double height = 0;
    std::vector<Box> found = words(html.text, width, height);
    EXPECT_NEAR(width, 841.89, 1) << "A4 landscape";
    EXPECT_NEAR(height, 595.28, 1);
    return found;
  }

  /// Every word inside the page's margins, and no two words on top of each other.
  static void expectInsideAndApart(const fs::path& pdf, const std::string& what) {
    const std::vector<Box> found = boxes(pdf);
    ASSERT_GT(found.size(), 20U) << what;
    constexpr double kMargin = 20;
    for (const Box& box : found) {
      EXPECT_GE(box.x_min, kMargin) << what << ": " << box.word;
      EXPECT_LE(box.x_max, 841.89 - kMargin) << what << ": " << box.word;
      EXPECT_GE(box.y_min, kMargin) << what << ": " << box.word;
      EXPECT_LE(box.y_max, 595.28 - kMargin) << what << ": " << box.word;
    }
    constexpr double kTolerance = 0.3;
    for (std::size_t i = 0; i < found.size(); ++i) {
      for (std::size_t j = i + 1; j < found.size(); ++j) {
        const Box& a = found[i];
        const Box& b = found[j];
        const bool apart = a.x_max <= b.x_min + kTolerance || b.x_max <= a.x_min + kTolerance ||
                           a.y_max <= b.y_min + kTolerance || b.y_max <= a.y_min + kTolerance;
        EXPECT_TRUE(apart) << what << ": \"" << a.word << "\" overlaps \"" << b.word << "\"";
      }
    }
  }

  fs::path dir_;
};

std::vector<std::pair<std::string, Summary>> samples() {
  return {{"kk", kazakh()}, {"ru", russian()}, {"en", english()}};
}

TEST_F(SummaryTest, PdftotextGivesBackEveryFigureTargetBarAndNote) {
  for (const auto& [name, summary] : samples()) {
    const std::string got = text(write(summary, name));
    const auto expect = [&](std::string wanted) {
      // A no-break space reads back as a plain one (the two share a glyph).
      for (std::size_t at = wanted.find(kNbsp); at != std::string::npos; at = wanted.find(kNbsp))
        wanted.replace(at, 2, " ");
      EXPECT_NE(got.find(wanted), std::string::npos) << name << ": \"" << wanted << "\" in\n"
                                                     << got;
    };
    expect(summary.title);
    expect(summary.subtitle);
    for (const SummaryFigure& figure : summary.figures) {
      expect(figure.label);
      expect(figure.value);
    }
    for (const SummaryTarget& target : summary.targets) {
      expect(target.label);
      expect(target.text);
    }
    for (const SummaryChart& chart : summary.charts) {
      expect(chart.title);
      for (const SummaryBar& bar : chart.bars) {
        expect(bar.label);
        expect(bar.text);
      }
    }
    for (const std::string& note : summary.notes) expect(note);
    expect(summary.footer);
  }
}

TEST_F(SummaryTest, KazakhLettersComeBackIntact) {
  const std::string got = text(write(kazakh(), "kk"));
  for (const char* letter : {"ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "һ", "і", "Ә", "Ү", "Қ"}) {
    EXPECT_NE(got.find(letter), std::string::npos) << letter;
  }
  EXPECT_NE(got.find("Жаңаөзен шаһар округі"), std::string::npos) << got;
  EXPECT_NE(got.find("Үлкен Түбек ауылы"), std::string::npos) << got;
}

TEST_F(SummaryTest, QpdfFindsNoErrors) {
  auto all = samples();
  all.emplace_back("crowded", crowded());
  for (const auto& [name, summary] : all) {
    const Output check = run("qpdf --check " + write(summary, name).string() + " 2>&1");
    EXPECT_EQ(check.status, 0) << name << ": " << check.text;
    EXPECT_NE(check.text.find("No syntax or stream encoding errors"), std::string::npos)
        << check.text;
  }
}

TEST_F(SummaryTest, PdffontsShowsEmbeddedDejaVuSubsets) {
  const Output listed = run("pdffonts " + write(kazakh(), "fonts").string() + " 2>&1");
  ASSERT_EQ(listed.status, 0) << listed.text;
  const std::regex row(
      R"(^([A-Z]{6})\+(DejaVuSans\S*)\s+CID TrueType\s+Identity-H\s+(yes|no)\s+(yes|no)\s+(yes|no))");
  std::istringstream lines(listed.text);
  std::string line;
  std::size_t rows = 0;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, row)) continue;
    ++rows;
    EXPECT_EQ(m[3], "yes") << line;  // embedded
    EXPECT_EQ(m[4], "yes") << line;  // subset
    EXPECT_EQ(m[5], "yes") << line;  // ToUnicode map
  }
  EXPECT_EQ(rows, 2U) << listed.text;
  EXPECT_NE(listed.text.find("DejaVuSans-Bold"), std::string::npos) << listed.text;
}

TEST_F(SummaryTest, EverythingIsOnOnePage) {
  auto all = samples();
  all.emplace_back("crowded", crowded());
  all.emplace_back("empty", Summary{"en", "", "", {}, {}, {}, {}, ""});
  for (const auto& [name, summary] : all) {
    const Output info = run("pdfinfo " + write(summary, name).string() + " 2>&1");
    ASSERT_EQ(info.status, 0) << info.text;
    EXPECT_TRUE(std::regex_search(info.text, std::regex(R"(Pages:\s+1\n)"))) << info.text;
    EXPECT_TRUE(std::regex_search(info.text, std::regex(R"(Page size:\s+841.89 x 595.2)")))
        << info.text;
  }
}

TEST_F(SummaryTest, EveryWordStaysInsideThePageWithoutOverlapping) {
  auto all = samples();
  all.emplace_back("crowded", crowded());
  for (const auto& [name, summary] : all) expectInsideAndApart(write(summary, name), name);
}

TEST_F(SummaryTest, ALongLabelIsCutWithAnEllipsisInsideItsColumn) {
  Summary summary = english();
  std::string label = "Rural district of ";
  for (int i = 0; i < 20; ++i) label += "Zhanaozen-Ekibastuz ";
  label += "END";
  summary.charts.front().bars.front().label = label;
  const fs::path pdf = write(summary, "long-label");
  const std::string got = text(pdf);
  EXPECT_EQ(got.find("END"), std::string::npos) << got;
  EXPECT_NE(got.find("Rural district of Zhanaozen-Ekibastuz"), std::string::npos) << got;
  EXPECT_NE(got.find("…"), std::string::npos) << got;
  // A lone chart takes the left half of the page between its 40 pt margins (less a 26 pt gap);
  // labels keep to its left 45 %.
  const double label_column_right = 40 + (841.89 - 80 - 26) / 2 * 0.45 + 0.5;
  std::size_t label_words = 0;
  for (const Box& box : boxes(pdf)) {
    if (box.word.rfind("Rural", 0) == 0 || box.word.rfind("Zhanaozen", 0) == 0 ||
        box.word.rfind("district", 0) == 0 || box.word == "of") {
      ++label_words;
      EXPECT_LE(box.x_max, label_column_right) << box.word;
      EXPECT_GE(box.x_min, 40 - 0.5) << box.word;
    }
  }
  EXPECT_GT(label_words, 3U);
  expectInsideAndApart(pdf, "long label");
}

TEST_F(SummaryTest, NotesGiveWayToTheChartsWithAnEllipsis) {
  const std::string got = text(write(crowded(), "crowded"));
  EXPECT_NE(got.find("Ескерту 1:"), std::string::npos) << got;
  EXPECT_EQ(got.find("Ескерту 8:"), std::string::npos) << got;
  EXPECT_NE(got.find("…"), std::string::npos) << got;
  // Every chart keeps all its bars.
  for (const char* value : {" 12000 ", " 11000 ", " 2000 ", " 1000 "}) {
    std::size_t count = 0;
    for (std::size_t at = got.find(value); at != std::string::npos; at = got.find(value, at + 1))
      ++count;
    EXPECT_GE(count, 3U) << value;
  }
}

TEST_F(SummaryTest, BarsAreScaledToTheChartsLargestValue) {
  Summary summary = english();
  summary.charts = {
      {"Trained by district", {{"Alpha", 60, "60"}, {"Beta", 30, "30"}, {"Gamma", {}, "<5"}}}};
  const fs::path pdf = write(summary, "scale");
  constexpr int kScale = 2;  // pixels per point
  const fs::path pgm = dir_ / "scale";
  ASSERT_EQ(run("pdftoppm -gray -r " + std::to_string(72 * kScale) + " -singlefile " +
                pdf.string() + " " + pgm.string())
                .status,
            0);
  std::ifstream in(pgm.string() + ".pgm", std::ios::binary);
  std::string magic;
  int width = 0;
  int height = 0;
  int max = 0;
  in >> magic >> width >> height >> max;
  in.get();
  ASSERT_EQ(magic, "P5");
  std::vector<unsigned char> pixels(static_cast<std::size_t>(width) *
                                    static_cast<std::size_t>(height));
  in.read(reinterpret_cast<char*>(pixels.data()), static_cast<std::streamsize>(pixels.size()));
  const auto pixel = [&](int x, int y) {
    return static_cast<int>(pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                                   static_cast<std::size_t>(x)]);
  };
  // Bar-coloured pixels (a mid grey in gray scale) in a run on the label's row, right of the
  // label column.
  const auto barRun = [&](const std::string& label) {
    for (const Box& box : boxes(pdf)) {
      if (box.word != label) continue;
      const int y = static_cast<int>((box.y_min + box.y_max) / 2 * kScale);
      int x = static_cast<int>(box.x_max * kScale) + 2;
      int longest = 0;
      int current = 0;
      for (; x < width; ++x) {
        const int v = pixel(x, y);
        current = v > 70 && v < 140 ? current + 1 : 0;
        longest = std::max(longest, current);
      }
      return longest;
    }
    ADD_FAILURE() << "no label " << label;
    return 0;
  };
  const int alpha = barRun("Alpha");
  const int beta = barRun("Beta");
  ASSERT_GT(alpha, 150 * kScale);  // the largest bar fills the chart's bar room
  EXPECT_NEAR(static_cast<double>(beta) / alpha, 0.5, 0.02);
  EXPECT_LT(barRun("Gamma"), 3);  // hidden: a light hatched stub, no bar
  EXPECT_NE(text(pdf).find("<5"), std::string::npos) << text(pdf);
}

TEST_F(SummaryTest, TheDocumentStatesItsLanguage) {
  for (const auto& [name, summary] : samples()) {
    const std::string pdf = renderSummary(summary, fonts());
    EXPECT_NE(pdf.find("/Lang (" + name + ")"), std::string::npos) << name;
  }
}

TEST_F(SummaryTest, TheSameSummaryGivesTheSameBytes) {
  const std::string first = renderSummary(kazakh(), fonts());
  renderSummary(russian(), fonts());
  EXPECT_EQ(renderSummary(kazakh(), fonts()), first);
}

TEST_F(SummaryTest, ACharacterTheFontCannotDrawIsAMissingGlyphNamingTheText) {
  Summary summary = kazakh();
  summary.charts[1].bars[2].label = "Ракета 🚀";
  expectError([&] { renderSummary(summary, fonts()); }, Error::Kind::missing_glyph,
              "charts[1].bars[2].label");
  try {
    renderSummary(summary, fonts());
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("U+1F680"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("Ракета 🚀"), std::string::npos) << e.what();
  }
  summary = kazakh();
  summary.figures[0].value = "1 234 中";
  expectError([&] { renderSummary(summary, fonts()); }, Error::Kind::missing_glyph,
              "figures[0].value");
  summary = kazakh();
  summary.notes.push_back("🚀");
  expectError([&] { renderSummary(summary, fonts()); }, Error::Kind::missing_glyph, "notes[2]");
}

TEST_F(SummaryTest, BadInputIsInvalidInputNamingTheField) {
  const auto expectInvalid = [&](const Summary& summary, const std::string& field) {
    expectError([&] { renderSummary(summary, fonts()); }, Error::Kind::invalid_input, field);
  };
  Summary s = kazakh();
  s.title = "\xD3";
  expectInvalid(s, "title");
  s = kazakh();
  s.targets[1].text = "\xC0\x80";
  expectInvalid(s, "targets[1].text");
  s = kazakh();
  s.charts[2].bars[0].label = "\xED\xA0\x80";  // a surrogate
  expectInvalid(s, "charts[2].bars[0].label");
  s = kazakh();
  s.charts.push_back(s.charts.front());
  expectInvalid(s, "charts");
  s = kazakh();
  while (s.charts[0].bars.size() < 13) s.charts[0].bars.push_back({"Қосымша", 1, "1"});
  expectInvalid(s, "charts[0].bars");
  s = kazakh();
  s.figures.push_back({"Артық", "1"});
  expectInvalid(s, "figures");
  s = kazakh();
  while (s.targets.size() < 9) s.targets.push_back({"Артық", 1, 2, "1 / 2"});
  expectInvalid(s, "targets");
  s = kazakh();
  while (s.notes.size() < 9) s.notes.push_back("Ескерту");
  expectInvalid(s, "notes");
  s = kazakh();
  s.language = "de";
  expectInvalid(s, "language");
  s = kazakh();
  s.targets[0].target = 0;
  expectInvalid(s, "targets[0].target");
  s = kazakh();
  s.targets[2].actual = std::numeric_limits<double>::quiet_NaN();
  expectInvalid(s, "targets[2].actual");
  s = kazakh();
  s.charts[1].bars[1].value = -1;
  expectInvalid(s, "charts[1].bars[1].value");
  s = kazakh();
  s.subtitle = std::string(2001, 'a');
  expectInvalid(s, "subtitle");
  // Exactly at the limits is fine.
  EXPECT_FALSE(renderSummary(crowded(), fonts()).empty());
}

TEST_F(SummaryTest, WritesAPngOfEachLanguageForAPersonToLook) {
  const fs::path out = CERTIFICATES_TEST_OUTPUT_DIR;
  auto all = samples();
  all.emplace_back("crowded", crowded());
  for (const auto& [name, summary] : all) {
    const fs::path pdf = write(summary, name);
    const fs::path png = out / ("summary-" + name);
    EXPECT_EQ(run("pdftoppm -png -r 70 -singlefile " + pdf.string() + " " + png.string()).status,
              0);
    EXPECT_TRUE(fs::is_regular_file(png.string() + ".png")) << png;
  }
}

}  // namespace
}  // namespace certificates
