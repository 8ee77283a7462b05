#include "certificates/renderer.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "certificates/error.hpp"
#include "support/tools.hpp"

// The tests read rendered PDFs the way a person's tools do: pdftotext, pdffonts (poppler-utils)
// and qpdf, run as subprocesses on files in a temporary directory. PNGs of each layout are left
// in CERTIFICATES_TEST_OUTPUT_DIR for a person to look at.

namespace certificates {
namespace {

using support::Box;
using support::Output;
using support::run;
using support::words;

namespace fs = std::filesystem;

// A name with every Kazakh letter in both cases, and Russian ё and й.
constexpr const char* kKazakhName =
    "Әсемгүл Тоғжан Ғазизқызы Қоңырбаева-Өмірбекова Ұлжан Үміт Һәкімқызы Іңкәр Нұрлан Шаһан "
    "Көркем Семёнова Йолдас Айгүл ҚОҢЫРБАЕВА";

Content sample(Layout layout) {
  Content c;
  c.layout = layout;
  c.serial = "LSG-EKZ-IP-2019-000123";
  c.full_name = "Әлия Ғалымқызы Қасымова";
  c.course_title = {"Жергілікті дамудың инклюзивті жоспарлауы",
                    "Инклюзивное планирование местного развития",
                    "Inclusive planning of local development"};
  c.hours = 24;
  c.starts_on = "2019-03-15";
  c.ends_on = "2019-03-22";
  c.place = "Аудандық әкімдіктің мәжіліс залы";
  c.locality = {"Нұра кенті", "посёлок Нура", "Nura settlement"};
  c.sessions_attended = 7;
  c.sessions_total = 8;
  c.trainers = {"Айгүл Серікқызы", "Дмитрий Ёлкин"};
  c.organisations = {
      {"«АРГО» қоғамдық бірлестігі", "Общественное объединение «АРГО»",
       "ARGO civil society association"},
      {"Жергілікті өзін-өзі басқаруды дамыту орталығы", "Центр развития местного самоуправления",
       "Local Self-Government Development Centre"}};
  c.issuer = {"«Белсенді қатысу» бағдарламасы", "Программа «Активное участие»",
              "Active Participation programme"};
  c.issued_on = "2019-03-29";
  c.verify_url = "https://qatysu.example.kz/verify/LSG-EKZ-IP-2019-000123?t=Qm9vZ2llV29vZ2llMTIz";
  // As long as a signed payload: URL, base64url payload and an Ed25519 signature.
  c.qr_payload = c.verify_url + "#p=" + std::string(190, 'Q') + "&s=" + std::string(86, 's');
  return c;
}

const char* layoutName(Layout layout) {
  switch (layout) {
    case Layout::kk:
      return "kk";
    case Layout::ru:
      return "ru";
    case Layout::en:
      return "en";
    case Layout::trilingual:
      break;
  }
  return "trilingual";
}

constexpr std::array<Layout, 4> kLayouts = {Layout::kk, Layout::ru, Layout::en, Layout::trilingual};

Renderer& renderer() {
  static Renderer shared(FontSet::dejavu());
  return shared;
}

class RendererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("qatysu-render-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& pdf, const std::string& name) {
    const fs::path path = dir_ / (name + ".pdf");
    std::ofstream(path, std::ios::binary) << pdf;
    return path;
  }

  fs::path dir_;
};

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

TEST_F(RendererTest, PdftotextGivesBackTheExactNameInEveryLayout) {
  const std::u32string letters = U"әғқңөұүһіӘҒҚҢӨҰҮҺІёй";
  const std::string name = kKazakhName;
  for (const Layout layout : kLayouts) {
    Content content = sample(layout);
    content.full_name = name;
    const fs::path pdf = write(renderer().render(content), layoutName(layout));
    const Output text = run("pdftotext -enc UTF-8 " + pdf.string() + " - 2>/dev/null");
    ASSERT_EQ(text.status, 0);
    EXPECT_NE(collapseSpaces(text.text).find(name), std::string::npos)
        << layoutName(layout) << ":\n"
        << text.text;
  }
  // The name really holds every letter the test is about.
  for (const char32_t letter : letters) {
    std::string utf8;
    if (letter < 0x800) {
      utf8 += static_cast<char>(0xC0 | (letter >> 6));
      utf8 += static_cast<char>(0x80 | (letter & 0x3F));
    }
    EXPECT_NE(name.find(utf8), std::string::npos) << static_cast<unsigned>(letter);
  }
}

TEST_F(RendererTest, QpdfFindsNoErrors) {
  for (const Layout layout : kLayouts) {
    const fs::path pdf = write(renderer().render(sample(layout)), layoutName(layout));
    const Output check = run("qpdf --check " + pdf.string() + " 2>&1");
    EXPECT_EQ(check.status, 0) << check.text;
    EXPECT_NE(check.text.find("No syntax or stream encoding errors"), std::string::npos)
        << check.text;
  }
}

TEST_F(RendererTest, PdffontsShowsEveryFontEmbeddedAsASubset) {
  const fs::path pdf = write(renderer().render(sample(Layout::trilingual)), "fonts");
  const Output fonts = run("pdffonts " + pdf.string() + " 2>&1");
  ASSERT_EQ(fonts.status, 0) << fonts.text;
  std::size_t rows = 0;
  const std::regex row(
      R"(^([A-Z]{6})\+(\S+)\s+CID TrueType\s+Identity-H\s+(yes|no)\s+(yes|no)\s+(yes|no))");
  std::istringstream lines(fonts.text);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, row)) continue;
    ++rows;
    EXPECT_EQ(m[3], "yes") << line;  // embedded
    EXPECT_EQ(m[4], "yes") << line;  // subset
    EXPECT_EQ(m[5], "yes") << line;  // ToUnicode map
  }
  EXPECT_EQ(rows, 2U) << fonts.text;
  EXPECT_NE(fonts.text.find("DejaVuSans-Bold"), std::string::npos);
}

void expectInsideAndApart(const fs::path& pdf, const std::string& what) {
  const Output html = run("pdftotext -bbox " + pdf.string() + " - 2>/dev/null");
  ASSERT_EQ(html.status, 0);
  double width = 0;
  double height = 0;
  const std::vector<Box> boxes = words(html.text, width, height);
  ASSERT_NEAR(width, 841.89, 1) << "A4 landscape";
  ASSERT_NEAR(height, 595.28, 1);
  ASSERT_GT(boxes.size(), 50U);
  constexpr double kMargin = 30;  // inside the frame
  for (const Box& box : boxes) {
    EXPECT_GE(box.x_min, kMargin) << what << ": " << box.word;
    EXPECT_LE(box.x_max, width - kMargin) << what << ": " << box.word;
    EXPECT_GE(box.y_min, kMargin) << what << ": " << box.word;
    EXPECT_LE(box.y_max, height - kMargin) << what << ": " << box.word;
  }
  constexpr double kTolerance = 0.3;
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    for (std::size_t j = i + 1; j < boxes.size(); ++j) {
      const Box& a = boxes[i];
      const Box& b = boxes[j];
      const bool apart = a.x_max <= b.x_min + kTolerance || b.x_max <= a.x_min + kTolerance ||
                         a.y_max <= b.y_min + kTolerance || b.y_max <= a.y_min + kTolerance;
      EXPECT_TRUE(apart) << what << ": \"" << a.word << "\" overlaps \"" << b.word << "\"";
    }
  }
}

std::string longName() {
  // 200 code points of Kazakh and Russian name parts.
  const std::u32string parts = U"Әсемгүл Қоңырбаева-Өмірбекова Ұлжан Һәкімқызы Семёнова ";
  std::u32string name;
  while (name.size() < 200) name += parts;
  name.resize(200);
  if (name.back() == U' ') name.back() = U'а';
  std::string utf8;
  for (const char32_t cp : name) {
    if (cp < 0x80) {
      utf8 += static_cast<char>(cp);
    } else {
      utf8 += static_cast<char>(0xC0 | (cp >> 6));
      utf8 += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return utf8;
}

TEST_F(RendererTest, ALongNameAndTitleStayInsideThePageWithoutOverlapping) {
  for (const Layout layout : kLayouts) {
    Content content = sample(layout);
    content.full_name = longName();
    const std::string title =
        "Жергілікті өзін-өзі басқару органдары мен азаматтық қоғам өкілдерінің ауылдық аумақтарды "
        "дамытудың инклюзивті жоспарларын бірлесіп әзірлеуі және оларды іске асыруы";
    content.course_title.kk = title;
    content.course_title.ru =
        "Совместная разработка и реализация инклюзивных планов развития сельских территорий "
        "органами местного самоуправления и представителями гражданского общества";
    content.course_title.en =
        "Joint development and implementation of inclusive rural development plans by local "
        "self-government bodies and representatives of civil society";
    const std::string pdf = renderer().render(content);
    const fs::path path = write(pdf, std::string("long-") + layoutName(layout));
    expectInsideAndApart(path, layoutName(layout));
    const Output text = run("pdftotext -enc UTF-8 " + path.string() + " - 2>/dev/null");
    EXPECT_NE(collapseSpaces(text.text).find(content.full_name), std::string::npos)
        << layoutName(layout) << ":\n"
        << text.text;
    EXPECT_LE(pdf.size(), 30U * 1024U);
  }
}

TEST_F(RendererTest, AWordLongerThanALineIsBrokenInsideThePage) {
  Content content = sample(Layout::kk);
  content.full_name = "";
  for (int i = 0; i < 12; ++i) content.full_name += "Қоңырбаева";
  expectInsideAndApart(write(renderer().render(content), "one-word"), "one long word");
}

TEST_F(RendererTest, TheUsualLayoutsStayInsideThePageWithoutOverlapping) {
  for (const Layout layout : kLayouts) {
    expectInsideAndApart(write(renderer().render(sample(layout)), layoutName(layout)),
                         layoutName(layout));
  }
}

TEST_F(RendererTest, ACertificateIsAtMostThirtyKilobytes) {
  for (const Layout layout : kLayouts) {
    Content content = sample(layout);
    content.full_name = kKazakhName;
    EXPECT_LE(renderer().render(content).size(), 30U * 1024U) << layoutName(layout);
  }
}

TEST_F(RendererTest, TheSameContentGivesTheSameBytes) {
  const std::string first = renderer().render(sample(Layout::trilingual));
  renderer().render(sample(Layout::kk));
  EXPECT_EQ(renderer().render(sample(Layout::trilingual)), first);
}

TEST_F(RendererTest, DatesAreWrittenInTheLanguageOfThePage) {
  const std::vector<std::pair<Layout, std::string>> expected = {
      {Layout::kk, "2019 жылғы 15 наурыз"},
      {Layout::ru, "15 марта 2019 г."},
      {Layout::en, "15 March 2019"},
      {Layout::trilingual, "2019 жылғы 29 наурыз"},
  };
  for (const auto& [layout, date] : expected) {
    const fs::path pdf = write(renderer().render(sample(layout)), layoutName(layout));
    const std::string text =
        collapseSpaces(run("pdftotext -enc UTF-8 " + pdf.string() + " -").text);
    EXPECT_NE(text.find(date), std::string::npos) << text;
  }
  const fs::path ru = write(renderer().render(sample(Layout::ru)), "ru-attendance");
  const std::string ru_text =
      collapseSpaces(run("pdftotext -enc UTF-8 " + ru.string() + " -").text);
  EXPECT_NE(ru_text.find("Посещено занятий: 7 из 8"), std::string::npos) << ru_text;
  EXPECT_NE(ru_text.find("Объём: 24 часа"), std::string::npos) << ru_text;
  Content hours = sample(Layout::kk);
  hours.hours = 7.5;
  const fs::path kk = write(renderer().render(hours), "kk-hours");
  const std::string kk_text =
      collapseSpaces(run("pdftotext -enc UTF-8 " + kk.string() + " -").text);
  EXPECT_NE(kk_text.find("Көлемі: 7,5 сағат"), std::string::npos) << kk_text;
  EXPECT_NE(kk_text.find("8 сабақтан 7 сабаққа қатысты"), std::string::npos) << kk_text;
  const fs::path en = write(renderer().render(sample(Layout::en)), "en-attendance");
  const std::string en_text =
      collapseSpaces(run("pdftotext -enc UTF-8 " + en.string() + " -").text);
  EXPECT_NE(en_text.find("Attended 7 of 8 sessions"), std::string::npos) << en_text;
  EXPECT_NE(en_text.find("Duration: 24 hours"), std::string::npos) << en_text;
  EXPECT_NE(en_text.find("LSG-EKZ-IP-2019-000123"), std::string::npos) << en_text;
}

TEST_F(RendererTest, ACharacterTheFontCannotDrawIsAMissingGlyphNamingTheField) {
  Content content = sample(Layout::trilingual);
  content.full_name = "Әлия 中";
  expectError([&] { renderer().render(content); }, Error::Kind::missing_glyph, "full_name");
  content = sample(Layout::trilingual);
  content.course_title.kk = "Курс 🚀";
  expectError([&] { renderer().render(content); }, Error::Kind::missing_glyph, "course_title.kk");
  content = sample(Layout::kk);
  content.trainers.push_back("Trainer 中");
  expectError([&] { renderer().render(content); }, Error::Kind::missing_glyph, "trainers[2]");
  try {
    content = sample(Layout::kk);
    content.full_name = "Әлия 中";
    renderer().render(content);
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("U+4E2D"), std::string::npos) << e.what();
  }
  // The renderer is still usable afterwards.
  EXPECT_FALSE(renderer().render(sample(Layout::kk)).empty());
}

TEST_F(RendererTest, BadInputIsInvalidInputNamingTheField) {
  Content content = sample(Layout::kk);
  content.full_name = "\xD3";
  expectError([&] { renderer().render(content); }, Error::Kind::invalid_input, "full_name");
  content = sample(Layout::kk);
  content.full_name = "   ";
  expectError([&] { renderer().render(content); }, Error::Kind::invalid_input, "full_name");
  content = sample(Layout::kk);
  content.locality.ru = "\xC0\x80";
  expectError([&] { renderer().render(content); }, Error::Kind::invalid_input, "locality.ru");
  content = sample(Layout::kk);
  content.starts_on = "2019-02-30";
  expectError([&] { renderer().render(content); }, Error::Kind::invalid_input, "starts_on");
  content = sample(Layout::kk);
  content.ends_on = "15.03.2019";
  expectError([&] { renderer().render(content); }, Error::Kind::invalid_input, "ends_on");
  content = sample(Layout::kk);
  content.ends_on = "2019-03-01";
  expectError([&] { renderer().render(content); }, Error::Kind::invalid_input, "ends_on");
  content = sample(Layout::kk);
  content.issued_on = "2019-13-01";
  expectError([&] { renderer().render(content); }, Error::Kind::invalid_input, "issued_on");
  content = sample(Layout::kk);
  content.sessions_attended = 9;
  expectError([&] { renderer().render(content); }, Error::Kind::invalid_input, "sessions_attended");
}

// The QR code, read back from the rendered page at 4 pixels per point: a square of n x n modules
// with its three finder patterns top left, top right and bottom left (so it is neither mirrored
// nor turned) and the timing patterns alternating between them.
TEST_F(RendererTest, TheQrCodeIsDrawnRightSideUpModuleByModule) {
  const fs::path pdf = write(renderer().render(sample(Layout::trilingual)), "qr");
  // The code sits in the bottom right corner: 104 pt square, 66 pt from the right edge and 48 pt
  // from the bottom. Crop a little more than that.
  constexpr int kScale = 4;
  const int left = static_cast<int>((841.89 - 66 - 104 - 4) * kScale);
  const int top = static_cast<int>((595.28 - 48 - 104 - 4) * kScale);
  const int side = (104 + 8) * kScale;
  const fs::path pgm = dir_ / "qr";
  const Output made =
      run("pdftoppm -gray -r " + std::to_string(72 * kScale) + " -x " + std::to_string(left) +
          " -y " + std::to_string(top) + " -W " + std::to_string(side) + " -H " +
          std::to_string(side) + " -singlefile " + pdf.string() + " " + pgm.string());
  ASSERT_EQ(made.status, 0);
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
  const auto dark = [&](double x, double y) {
    const auto ix = static_cast<std::size_t>(x);
    const auto iy = static_cast<std::size_t>(y);
    return pixels[iy * static_cast<std::size_t>(width) + ix] < 128;
  };
  // The symbol's edges: first and last dark pixel on the row through the top finder pattern.
  const double origin = 4.0 * kScale;  // the crop starts 4 pt before the code
  double x0 = -1;
  for (int x = 0; x < width; ++x) {
    if (dark(x, origin + 2)) {
      x0 = x;
      break;
    }
  }
  ASSERT_NEAR(x0, origin, 2.0);
  double x1 = x0;  // the top right finder pattern ends the symbol's top row
  for (int x = width - 1; x > x0; --x) {
    if (dark(x, origin + 2)) {
      x1 = x + 1;
      break;
    }
  }
  const double extent = x1 - x0;
  EXPECT_NEAR(extent, 104.0 * kScale, 2.0);
  double module = 0;
  const auto at = [&](int column, int row) {
    return dark(origin + (column + 0.5) * module, origin + (row + 0.5) * module);
  };
  const auto finder = [&](int column, int row) {
    for (int r = 0; r < 7; ++r) {
      for (int c = 0; c < 7; ++c) {
        const bool ring = r == 0 || r == 6 || c == 0 || c == 6;
        const bool core = r >= 2 && r <= 4 && c >= 2 && c <= 4;
        if (at(column + c, row + r) != (ring || core)) return false;
      }
    }
    return true;
  };
  // A QR code has 17 + 4 * version modules a side: find the version whose grid fits.
  int n = 0;
  for (int version = 1; version <= 40 && n == 0; ++version) {
    module = extent / (17 + 4 * version);
    if (finder(0, 0) && finder(16 + 4 * version - 6, 0)) n = 17 + 4 * version;
  }
  ASSERT_NE(n, 0) << "no module grid matches the finder patterns";
  module = extent / n;
  EXPECT_TRUE(finder(0, 0));
  EXPECT_TRUE(finder(n - 7, 0));
  EXPECT_TRUE(finder(0, n - 7));
  EXPECT_FALSE(finder(n - 7, n - 7));
  for (int i = 8; i < n - 8; ++i) {
    EXPECT_EQ(at(i, 6), i % 2 == 0) << "timing pattern, column " << i;
    EXPECT_EQ(at(6, i), i % 2 == 0) << "timing pattern, row " << i;
  }
}

// What a phone camera does: a decoder (zbarimg, from zbar-tools) reads the QR code off a page
// printed at 150 dpi and gets back exactly the payload, signature included.
TEST_F(RendererTest, AQrDecoderReadsThePayloadBackFromThePrintedPage) {
  for (const Layout layout : kLayouts) {
    const Content content = sample(layout);
    const fs::path pdf =
        write(renderer().render(content), std::string("scan-") + layoutName(layout));
    const fs::path png = dir_ / (std::string("scan-") + layoutName(layout));
    ASSERT_EQ(run("pdftoppm -png -r 150 -singlefile " + pdf.string() + " " + png.string()).status,
              0);
    const Output decoded =
        run("zbarimg -q --raw -Sdisable -Sqrcode.enable " + png.string() + ".png");
    ASSERT_EQ(decoded.status, 0) << layoutName(layout);
    std::string text = decoded.text;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    EXPECT_EQ(text, content.qr_payload) << layoutName(layout);
  }
}

TEST_F(RendererTest, WritesAPngOfEachLayoutForAPersonToLookAt) {
  const fs::path out = CERTIFICATES_TEST_OUTPUT_DIR;
  for (const Layout layout : kLayouts) {
    Content content = sample(layout);
    content.full_name = "Әсемгүл Ғазизқызы Қоңырбаева-Өмірбекова";
    const fs::path pdf = write(renderer().render(content), layoutName(layout));
    const fs::path png = out / (std::string("certificate-") + layoutName(layout));
    const Output made = run("pdftoppm -png -r 60 -singlefile " + pdf.string() + " " + png.string());
    EXPECT_EQ(made.status, 0);
    EXPECT_TRUE(fs::is_regular_file(png.string() + ".png")) << png;
  }
}

}  // namespace
}  // namespace certificates
