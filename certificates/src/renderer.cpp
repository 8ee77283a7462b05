#include "certificates/renderer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "certificates/error.hpp"
#include "certificates/qr.hpp"
#include "pdf.hpp"
#include "truetype.hpp"
#include "utf8.hpp"
#include "wording.hpp"

namespace certificates {
namespace {

using pdf::appendColor;
using pdf::appendNumber;
using pdf::Color;
using pdf::Face;
using pdf::Fonts;
using pdf::GlyphUse;
using pdf::kPageHeight;
using pdf::kPageWidth;
using pdf::Run;
using pdf::wrap;
using wording::Language;

constexpr double kFrameOuter = 22;
constexpr double kFrameInner = 30;
constexpr double kLeft = 66;
constexpr double kRight = kPageWidth - 66;
constexpr double kQrSize = 104;
constexpr double kQrBottom = 48;
constexpr Color kInk{0.10, 0.13, 0.20};
constexpr Color kAccent{0.07, 0.30, 0.42};
constexpr Color kMuted{0.36, 0.39, 0.44};

enum class Align { left, center, right };

// ---------------------------------------------------------------------------------------------
// Layout: blocks of wrapped lines in columns, stacked in sections.

struct Block {
  Face face = Face::regular;
  double size = 10;
  Color color = kInk;
  std::vector<std::u32string> lines;
  double space_after = 0;
};

struct Column {
  double left = kLeft;
  double right = kRight;
  Align align = Align::center;
  std::vector<Block> blocks;
};

struct Section {
  std::vector<Column> columns;
};

// Shrinks the text down to `min_size` to keep it on one line, then wraps it at `min_size`.
Block fit(const Fonts& fonts, Face face, std::u32string_view text, double max_size, double min_size,
          double width, Color color) {
  Block block;
  block.face = face;
  block.color = color;
  const double at_one = fonts.width(face, 1.0, text);
  if (at_one * max_size <= width) {
    block.size = max_size;
    block.lines.emplace_back(text);
  } else if (at_one * min_size <= width) {
    block.size = std::floor(width / at_one * 10.0) / 10.0;
    block.lines.emplace_back(text);
  } else {
    block.size = min_size;
    block.lines = wrap(fonts, face, min_size, text, width);
  }
  return block;
}

Block wrapped(const Fonts& fonts, Face face, std::u32string_view text, double size, double width,
              Color color) {
  Block block;
  block.face = face;
  block.size = size;
  block.color = color;
  block.lines = wrap(fonts, face, size, text, width);
  return block;
}

double blockHeight(const Fonts& fonts, const Block& block) {
  return static_cast<double>(block.lines.size()) * fonts.lineHeight(block.face, block.size) +
         block.space_after;
}

double columnHeight(const Fonts& fonts, const Column& column) {
  double height = 0;
  for (const Block& block : column.blocks) height += blockHeight(fonts, block);
  return height;
}

double sectionHeight(const Fonts& fonts, const Section& section) {
  double height = 0;
  for (const Column& column : section.columns)
    height = std::max(height, columnHeight(fonts, column));
  return height;
}

/// Places the column's lines from `top` downwards; returns the bottom.
double placeColumn(const Fonts& fonts, const Column& column, double top, std::vector<Run>& runs) {
  double y = top;
  for (const Block& block : column.blocks) {
    const int f = static_cast<int>(block.face);
    for (const std::u32string& line : block.lines) {
      const double baseline = y - fonts.ascent[f] * block.size;
      const double width = fonts.width(block.face, block.size, line);
      double x = column.left;
      if (column.align == Align::center) x = (column.left + column.right - width) / 2;
      if (column.align == Align::right) x = column.right - width;
      runs.push_back(Run{block.face, block.size, block.color, x, baseline, line});
      y -= fonts.lineHeight(block.face, block.size);
    }
    y -= block.space_after;
  }
  return y;
}

// ---------------------------------------------------------------------------------------------
// What the page says, checked and in the languages of the layout.

struct Checked {
  std::u32string full_name;
  std::u32string serial;
  wording::Date starts_on;
  wording::Date ends_on;
  std::optional<wording::Date> issued_on;
};

class Checker {
 public:
  explicit Checker(const Fonts& fonts) : fonts_(fonts) {}

  std::u32string text(std::string_view value, const std::string& field) const {
    if (!utf8::valid(value)) {
      throw Error(Error::Kind::invalid_input, field, field + ": not valid UTF-8");
    }
    std::u32string decoded = pdf::decode(value);
    if (const auto missing = fonts_.firstMissing(decoded)) {
      throw Error(Error::Kind::missing_glyph, field,
                  field + ": " + describeCodePoint(*missing) +
                      " cannot be printed with the certificate font");
    }
    return pdf::normalizeSpaces(decoded);
  }

  wording::Date date(std::string_view value, const std::string& field) const {
    const auto date = wording::parseDate(value);
    if (!date) {
      throw Error(Error::Kind::invalid_input, field,
                  field + ": not a date in the form YYYY-MM-DD: \"" + std::string(value) + "\"");
    }
    return *date;
  }

 private:
  const Fonts& fonts_;
};

struct LocalizedText {
  std::u32string kk, ru, en;
  const std::u32string& in(Language language) const {
    switch (language) {
      case Language::kk:
        return kk;
      case Language::ru:
        return ru;
      case Language::en:
        break;
    }
    return en;
  }
  /// The text in `language`, or the first non-empty one of kk, ru, en.
  const std::u32string& preferring(Language language) const {
    if (!in(language).empty()) return in(language);
    if (!kk.empty()) return kk;
    if (!ru.empty()) return ru;
    return en;
  }
  bool empty() const { return kk.empty() && ru.empty() && en.empty(); }
};

struct PageText {
  std::u32string full_name;
  std::u32string serial;
  LocalizedText course_title;
  LocalizedText locality;
  std::u32string place;
  std::vector<std::u32string> trainers;
  std::vector<LocalizedText> organisations;
  LocalizedText issuer;
  wording::Date starts_on, ends_on;
  std::optional<wording::Date> issued_on;
  double hours = 0;
  int sessions_attended = 0;
  int sessions_total = 0;
  std::u32string verify_url;
  std::u32string check_code;
  std::string qr_payload;
};

LocalizedText localized(const Checker& checker, const Localized& value, const std::string& field) {
  return LocalizedText{checker.text(value.kk, field + ".kk"), checker.text(value.ru, field + ".ru"),
                       checker.text(value.en, field + ".en")};
}

PageText check(const Checker& checker, const Content& content) {
  PageText page;
  page.full_name = checker.text(content.full_name, "full_name");
  if (page.full_name.empty()) {
    throw Error(Error::Kind::invalid_input, "full_name", "full_name: empty");
  }
  page.serial = checker.text(content.serial, "serial");
  page.course_title = localized(checker, content.course_title, "course_title");
  if (page.course_title.empty()) {
    throw Error(Error::Kind::invalid_input, "course_title",
                "course_title: empty in every language");
  }
  page.locality = localized(checker, content.locality, "locality");
  page.place = checker.text(content.place, "place");
  for (std::size_t i = 0; i < content.trainers.size(); ++i) {
    std::u32string name = checker.text(content.trainers[i], "trainers[" + std::to_string(i) + "]");
    if (!name.empty()) page.trainers.push_back(std::move(name));
  }
  for (std::size_t i = 0; i < content.organisations.size(); ++i) {
    LocalizedText organisation =
        localized(checker, content.organisations[i], "organisations[" + std::to_string(i) + "]");
    if (!organisation.empty()) page.organisations.push_back(std::move(organisation));
  }
  page.issuer = localized(checker, content.issuer, "issuer");
  page.starts_on = checker.date(content.starts_on, "starts_on");
  page.ends_on = checker.date(content.ends_on, "ends_on");
  if (page.ends_on < page.starts_on) {
    throw Error(Error::Kind::invalid_input, "ends_on", "ends_on: before starts_on");
  }
  if (!content.issued_on.empty()) page.issued_on = checker.date(content.issued_on, "issued_on");
  if (!std::isfinite(content.hours) || content.hours < 0 || content.hours > 100000) {
    throw Error(Error::Kind::invalid_input, "hours", "hours: must be a number from 0 to 100000");
  }
  page.hours = content.hours;
  if (content.sessions_total < 0 || content.sessions_attended < 0 ||
      content.sessions_attended > content.sessions_total) {
    throw Error(Error::Kind::invalid_input, "sessions_attended",
                "sessions_attended: must be between 0 and sessions_total");
  }
  page.sessions_attended = content.sessions_attended;
  page.sessions_total = content.sessions_total;
  page.verify_url = checker.text(content.verify_url, "verify_url");
  page.check_code = checker.text(content.check_code, "check_code");
  page.qr_payload = content.qr_payload.empty() ? content.verify_url : content.qr_payload;
  if (page.qr_payload.empty()) {
    throw Error(Error::Kind::invalid_input, "qr_payload", "qr_payload: empty, and no verify_url");
  }
  if (page.qr_payload.size() > 2000) {
    throw Error(Error::Kind::invalid_input, "qr_payload", "qr_payload: longer than 2000 bytes");
  }
  return page;
}

std::u32string u32(std::string_view valid_utf8) {
  return pdf::decode(valid_utf8);
}

std::u32string joined(const std::vector<std::u32string>& parts, std::u32string_view separator) {
  std::u32string out;
  for (const auto& part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

std::vector<Language> languagesOf(Layout layout) {
  switch (layout) {
    case Layout::kk:
      return {Language::kk};
    case Layout::ru:
      return {Language::ru};
    case Layout::en:
      return {Language::en};
    case Layout::trilingual:
      break;
  }
  return {Language::kk, Language::ru, Language::en};
}

/// A label in every language of the page: "Тренерлер / Тренеры / Trainers".
std::u32string label(const std::vector<Language>& languages, const char* wording::Labels::*member) {
  std::vector<std::u32string> parts;
  for (const Language language : languages) {
    const std::u32string part = u32(wording::labels(language).*member);
    if (std::find(parts.begin(), parts.end(), part) == parts.end()) parts.push_back(part);
  }
  return joined(parts, U" / ");
}

/// The facts of the course in one language, one line each.
std::vector<std::u32string> facts(const PageText& page, Language language) {
  const wording::Labels& words = wording::labels(language);
  std::vector<std::u32string> lines;
  lines.push_back(u32(words.dates) + U": " +
                  u32(wording::formatPeriod(page.starts_on, page.ends_on, language)));
  std::u32string amount = u32(wording::formatHours(page.hours, language));
  if (page.sessions_total > 0) {
    amount += U" · " +
              u32(wording::formatAttendance(page.sessions_attended, page.sessions_total, language));
  }
  lines.push_back(std::move(amount));
  const std::u32string where = joined({page.place, page.locality.preferring(language)}, U", ");
  if (!where.empty()) lines.push_back(u32(words.place) + U": " + where);
  return lines;
}

std::u32string organisationsLine(const PageText& page, Language language) {
  if (page.organisations.empty()) return {};
  std::vector<std::u32string> names;
  for (const auto& organisation : page.organisations)
    names.push_back(organisation.preferring(language));
  const auto& words = wording::labels(language);
  return u32(names.size() == 1 ? words.organisation : words.organisations) + U": " +
         joined(names, U"; ");
}

struct Layouted {
  std::vector<Run> runs;
};

/// Lays the page out with every size multiplied by `scale`; nullopt when it does not fit.
std::optional<Layouted> layout(const Fonts& fonts, const PageText& page, Layout page_layout,
                               double scale) {
  const std::vector<Language> languages = languagesOf(page_layout);
  const bool trilingual = languages.size() > 1;
  const double width = kRight - kLeft;
  Layouted result;

  // Title.
  {
    Column title;
    title.blocks.push_back(
        fit(fonts, Face::bold, label(languages, &wording::Labels::title), 30, 18, width, kAccent));
    placeColumn(fonts, title, kPageHeight - 58, result.runs);
  }
  const double top = kPageHeight - 104;

  // Footer, bottom-up: serial, date of issue, issuer on the left; link and QR code on the right.
  const double qr_left = kRight - kQrSize;
  const double url_right = qr_left - 12;
  const double url_width = 200;
  Column url;
  url.left = url_right - url_width;
  url.right = url_right;
  url.align = Align::right;
  url.blocks.push_back(
      Block{Face::regular, 7, kMuted, {label(languages, &wording::Labels::verify) + U":"}, 1});
  url.blocks.push_back(wrapped(fonts, Face::regular, page.verify_url, 6.5, url_width, kMuted));
  if (!page.check_code.empty()) {
    // Typed by hand on the check page by someone holding the paper: large enough to read off.
    url.blocks.back().space_after = 3;
    url.blocks.push_back(Block{
        Face::regular, 7, kMuted, {label(languages, &wording::Labels::check_code) + U":"}, 1});
    url.blocks.push_back(wrapped(fonts, Face::bold, page.check_code, 10, url_width, kInk));
  }
  const double url_height = columnHeight(fonts, url);
  placeColumn(fonts, url, kQrBottom + url_height, result.runs);

  Column issuer;
  issuer.right = url.left - 24;
  issuer.align = Align::left;
  const double issuer_width = issuer.right - issuer.left;
  const double small = 9 * std::max(scale, 0.8);
  issuer.blocks.push_back(Block{
      Face::regular, small * 0.9, kMuted, {label(languages, &wording::Labels::issuer) + U":"}, 1});
  for (const Language language : languages) {
    const std::u32string& name = page.issuer.preferring(language);
    if (name.empty()) continue;
    if (trilingual && language != Language::kk && name == page.issuer.preferring(Language::kk))
      continue;
    issuer.blocks.push_back(wrapped(fonts, Face::regular, name, small, issuer_width, kInk));
  }
  if (page.issued_on) {
    std::vector<std::u32string> dates;
    for (const Language language : languages)
      dates.push_back(u32(wording::formatDate(*page.issued_on, language)));
    issuer.blocks.back().space_after = 3;
    issuer.blocks.push_back(
        wrapped(fonts, Face::regular,
                label(languages, &wording::Labels::issued_on) + U": " + joined(dates, U" / "),
                small, issuer_width, kInk));
  }
  issuer.blocks.back().space_after = 5;
  if (!page.serial.empty()) {
    issuer.blocks.push_back(
        wrapped(fonts, Face::bold, U"№ " + page.serial, 11, issuer_width, kInk));
  }
  const double issuer_height = columnHeight(fonts, issuer);
  placeColumn(fonts, issuer, kQrBottom + issuer_height, result.runs);
  const double bottom = kQrBottom + std::max({kQrSize, url_height, issuer_height}) + 16;

  // The middle of the page, top-down.
  std::vector<Section> sections;
  const auto single = [&](Block block) {
    Section section;
    Column column;
    column.blocks.push_back(std::move(block));
    section.columns.push_back(std::move(column));
    sections.push_back(std::move(section));
  };
  const auto wrappedLine = [&](Face face, const std::u32string& text, double size, Color color) {
    return wrapped(fonts, face, text, size * scale, width, color);
  };
  single(wrappedLine(Face::regular, label(languages, &wording::Labels::intro), 12, kMuted));
  single(fit(fonts, Face::bold, page.full_name, 34 * scale, 16 * scale, width, kInk));
  single(wrappedLine(Face::regular, label(languages, &wording::Labels::course), 12, kMuted));
  {
    Section titles;
    Column column;
    if (trilingual) {
      bool first = true;
      std::vector<std::u32string> seen;
      for (const Language language : languages) {
        const std::u32string& title = page.course_title.preferring(language);
        if (std::find(seen.begin(), seen.end(), title) != seen.end()) continue;
        seen.push_back(title);
        Block block = fit(fonts, first ? Face::bold : Face::regular, title,
                          (first ? 18 : 14) * scale, 10 * scale, width, first ? kAccent : kInk);
        block.space_after = 2 * scale;
        column.blocks.push_back(std::move(block));
        first = false;
      }
    } else {
      column.blocks.push_back(fit(fonts, Face::bold, page.course_title.preferring(languages[0]),
                                  20 * scale, 11 * scale, width, kAccent));
    }
    titles.columns.push_back(std::move(column));
    sections.push_back(std::move(titles));
  }
  {
    Section details;
    const double gutter = 18;
    const double column_width = trilingual ? (width - 2 * gutter) / 3 : width;
    const double size = (trilingual ? 9.5 : 11.5) * scale;
    for (std::size_t i = 0; i < languages.size(); ++i) {
      Column column;
      column.left = kLeft + static_cast<double>(i) * (column_width + gutter);
      column.right = column.left + column_width;
      // A little air between facts, so that a wrapped one still reads as one.
      for (const std::u32string& line : facts(page, languages[i])) {
        column.blocks.push_back(wrapped(fonts, Face::regular, line, size, column_width, kInk));
        column.blocks.back().space_after = 2.5 * scale;
      }
      const std::u32string organisations = organisationsLine(page, languages[i]);
      if (!organisations.empty()) {
        column.blocks.push_back(
            wrapped(fonts, Face::regular, organisations, size, column_width, kInk));
      }
      details.columns.push_back(std::move(column));
    }
    sections.push_back(std::move(details));
    if (!page.trainers.empty()) {
      const auto member =
          page.trainers.size() == 1 ? &wording::Labels::trainer : &wording::Labels::trainers;
      single(wrappedLine(Face::regular,
                         label(languages, member) + U": " + joined(page.trainers, U", "),
                         trilingual ? 9.5 : 11.5, kInk));
    }
  }

  double needed = 0;
  for (const Section& section : sections) needed += sectionHeight(fonts, section);
  const double available = top - bottom;
  if (needed > available) return std::nullopt;
  // Spread the room that is left between the sections, up to a comfortable gap.
  const double gap =
      std::min((available - needed) / static_cast<double>(sections.size() + 1), 26.0);
  double y = top - gap;
  for (std::size_t i = 0; i < sections.size(); ++i) {
    double lowest = y;
    for (const Column& column : sections[i].columns) {
      lowest = std::min(lowest, placeColumn(fonts, column, y, result.runs));
    }
    y = lowest - gap;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// QR code

/// The QR code's dark modules as filled rectangles.
void appendQr(std::string& out, const std::string& payload, double left, double bottom,
              double size) {
  const QrSymbol code = qrSymbol(payload);
  const int n = code.size;
  // One transformation puts the symbol in place; the rectangles are then in whole modules.
  out += "q\n0 0 0 rg\n";
  appendNumber(out, size / n);
  out += " 0 0 ";
  appendNumber(out, size / n);
  out += ' ';
  appendNumber(out, left);
  out += ' ';
  appendNumber(out, bottom);
  out += " cm\n";
  // Dark runs of each row, merged with the same run in the rows below into one rectangle.
  const auto dark = [&](int row, int column) { return code.dark(row, column); };
  std::vector<std::uint8_t> taken(static_cast<std::size_t>(n) * static_cast<std::size_t>(n), 0);
  for (int row = 0; row < n; ++row) {
    int column = 0;
    while (column < n) {
      if (!dark(row, column) || taken[static_cast<std::size_t>(row * n + column)] != 0) {
        ++column;
        continue;
      }
      const int start = column;
      while (column < n && dark(row, column)) ++column;
      const auto sameRun = [&](int below) {
        if ((start > 0 && dark(below, start - 1)) || (column < n && dark(below, column)))
          return false;
        for (int c = start; c < column; ++c) {
          if (!dark(below, c) || taken[static_cast<std::size_t>(below * n + c)] != 0) return false;
        }
        return true;
      };
      int height = 1;
      while (row + height < n && sameRun(row + height)) {
        for (int c = start; c < column; ++c)
          taken[static_cast<std::size_t>((row + height) * n + c)] = 1;
        ++height;
      }
      out += std::to_string(start);
      out += ' ';
      out += std::to_string(n - row - height);
      out += ' ';
      out += std::to_string(column - start);
      out += ' ';
      out += std::to_string(height);
      out += " re\n";
    }
  }
  out += "f\nQ\n";
}

}  // namespace

struct Renderer::Impl {
  truetype::Font regular;
  truetype::Font bold;
  Fonts fonts{};
  pdf::Document pdf;
  pdf::Deflater deflater;

  explicit Impl(const FontSet& set) : regular(set.regular), bold(set.bold) {
    fonts.attach(regular, bold);
    fonts.index();
  }

  std::string render(const Content& content) {
    const PageText page = check(Checker(fonts), content);
    std::optional<Layouted> laid;
    for (double scale = 1.0; scale >= 0.3 && !laid; scale -= 0.05) {
      laid = layout(fonts, page, content.layout, scale);
    }
    if (!laid) {
      throw Error(Error::Kind::invalid_input, "full_name",
                  "the certificate's texts are too long to fit on one page");
    }

    GlyphUse use[2];
    std::string text;
    appendFrame(text);
    pdf::appendRuns(text, fonts, use, laid->runs);
    appendQr(text, page.qr_payload, kRight - kQrSize, kQrBottom, kQrSize);
    return pdf.onePage(deflater, text, regular, bold, use, {});
  }

  /// A double frame and a short rule under the title.
  static void appendFrame(std::string& out) {
    appendColor(out, kAccent, "RG");
    const auto rect = [&](double inset, double line_width) {
      appendNumber(out, line_width);
      out += " w\n";
      appendNumber(out, inset);
      out += ' ';
      appendNumber(out, inset);
      out += ' ';
      appendNumber(out, kPageWidth - 2 * inset);
      out += ' ';
      appendNumber(out, kPageHeight - 2 * inset);
      out += " re S\n";
    };
    rect(kFrameOuter, 2.4);
    rect(kFrameInner, 0.7);
    out += "0.9 w\n";
    appendNumber(out, kPageWidth / 2 - 90);
    out += ' ';
    appendNumber(out, kPageHeight - 96);
    out += " m ";
    appendNumber(out, kPageWidth / 2 + 90);
    out += ' ';
    appendNumber(out, kPageHeight - 96);
    out += " l S\n";
  }
};

Renderer::Renderer(const FontSet& fonts) : impl_(std::make_unique<Impl>(fonts)) {}
Renderer::~Renderer() = default;

std::string Renderer::render(const Content& content) {
  return impl_->render(content);
}

}  // namespace certificates
