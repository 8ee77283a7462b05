#include "certificates/renderer.hpp"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_version.h>
#include <qrencode.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "certificates/error.hpp"
#include "truetype.hpp"
#include "utf8.hpp"
#include "wording.hpp"

// The renderer adds its own font objects and content to libharu's document through libharu's
// internal headers (HPDF_Doc_Rec, HPDF_PageAttr_Rec, HPDF_Dict). Their layout is only known for
// the version they were read from.
static_assert(std::string_view(HPDF_VERSION_TEXT) == "2.3.0",
              "renderer.cpp relies on libharu 2.3.0 internals; check them against this version");

namespace certificates {
namespace {

using wording::Language;

// A4 landscape, in points.
constexpr double kPageWidth = 841.89;
constexpr double kPageHeight = 595.28;
constexpr double kFrameOuter = 22;
constexpr double kFrameInner = 30;
constexpr double kLeft = 66;
constexpr double kRight = kPageWidth - 66;
constexpr double kQrSize = 104;
constexpr double kQrBottom = 48;
constexpr double kLeading = 0.14;  ///< extra space between lines, in em

struct Color {
  double r, g, b;
};
constexpr Color kInk{0.10, 0.13, 0.20};
constexpr Color kAccent{0.07, 0.30, 0.42};
constexpr Color kMuted{0.36, 0.39, 0.44};

enum class Face { regular = 0, bold = 1 };
enum class Align { left, center, right };

// ---------------------------------------------------------------------------------------------
// Text checks

std::u32string decode(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto cp = utf8::next(text, pos);
    if (!cp) break;
    out.push_back(*cp);
  }
  return out;
}

// Line breaks and runs of spaces in data become single spaces: the page decides where lines end.
std::u32string normalizeSpaces(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (const char32_t cp : text) {
    const bool space = cp == U' ' || cp == U'\n' || cp == U'\r';
    if (space) {
      if (!out.empty() && out.back() != U' ') out.push_back(U' ');
    } else {
      out.push_back(cp);
    }
  }
  while (!out.empty() && out.back() == U' ') out.pop_back();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Layout: blocks of wrapped lines in columns, stacked in sections.

struct Fonts {
  const truetype::Font* faces[2];
  double ascent[2];
  double descent[2];  ///< positive
  /// Glyph and width (1/1000 em, as the PDF's W array states it) of every BMP character: layout
  /// measures the same words many times while it wraps, so lookups must be cheap.
  std::vector<std::uint16_t> glyphs[2];
  std::vector<std::int16_t> widths[2];

  void index() {
    for (int f = 0; f < 2; ++f) {
      glyphs[f].resize(0x10000);
      widths[f].resize(0x10000);
      for (char32_t cp = 0; cp < 0x10000; ++cp) {
        glyphs[f][cp] = faces[f]->glyph(cp);
        widths[f][cp] = static_cast<std::int16_t>(
            std::lround(faces[f]->advance(glyphs[f][cp]) * 1000.0 / faces[f]->unitsPerEm()));
      }
    }
  }
  std::uint16_t glyph(int face, char32_t cp) const {
    return cp < 0x10000 ? glyphs[face][cp] : faces[face]->glyph(cp);
  }
  int width1000(Face face, char32_t cp) const {
    const int f = static_cast<int>(face);
    if (cp < 0x10000) return widths[f][cp];
    const truetype::Font& font = *faces[f];
    return static_cast<int>(std::lround(font.advance(font.glyph(cp)) * 1000.0 / font.unitsPerEm()));
  }
  double width(Face face, double size, std::u32string_view text) const {
    long total = 0;
    for (const char32_t cp : text) total += width1000(face, cp);
    return static_cast<double>(total) * size / 1000.0;
  }
  double lineHeight(Face face, double size) const {
    const int f = static_cast<int>(face);
    return (ascent[f] + descent[f] + kLeading) * size;
  }
};

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

struct Run {
  Face face;
  double size;
  Color color;
  double x;
  double baseline;
  std::u32string text;
};

// Greedy word wrap; a word wider than the line is broken between characters.
std::vector<std::u32string> wrap(const Fonts& fonts, Face face, double size,
                                 std::u32string_view text, double width) {
  std::vector<std::u32string> lines;
  std::u32string line;
  const auto flush = [&] {
    if (!line.empty()) lines.push_back(std::move(line));
    line.clear();
  };
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find(U' ', pos);
    if (end == std::u32string_view::npos) end = text.size();
    std::u32string_view word = text.substr(pos, end - pos);
    pos = end + 1;
    if (word.empty()) continue;
    std::u32string candidate =
        line.empty() ? std::u32string(word) : line + U' ' + std::u32string(word);
    if (fonts.width(face, size, candidate) <= width) {
      line = std::move(candidate);
      continue;
    }
    flush();
    while (fonts.width(face, size, word) > width) {
      std::size_t take = 1;
      while (take < word.size() && fonts.width(face, size, word.substr(0, take + 1)) <= width) {
        ++take;
      }
      lines.emplace_back(word.substr(0, take));
      word.remove_prefix(take);
    }
    line = std::u32string(word);
  }
  flush();
  return lines;
}

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
    std::u32string decoded = decode(value);
    for (const char32_t cp : decoded) {
      if (cp == U' ' || cp == U'\n' || cp == U'\r') continue;
      if (fonts_.glyph(0, cp) == 0 || fonts_.glyph(1, cp) == 0) {
        throw Error(
            Error::Kind::missing_glyph, field,
            field + ": " + describeCodePoint(cp) + " cannot be printed with the certificate font");
      }
    }
    return normalizeSpaces(decoded);
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
  return decode(valid_utf8);
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
// Content stream and fonts

// Two decimals are finer than any printer; integer formatting keeps this off the profile
// (std::to_chars with a precision was a tenth of the render time).
void appendNumber(std::string& out, double value) {
  long hundredths = std::lround(value * 100.0);
  if (hundredths < 0) {
    out += '-';
    hundredths = -hundredths;
  }
  out += std::to_string(hundredths / 100);
  const long fraction = hundredths % 100;
  if (fraction != 0) {
    out += '.';
    out += static_cast<char>('0' + fraction / 10);
    if (fraction % 10 != 0) out += static_cast<char>('0' + fraction % 10);
  }
}

void appendColor(std::string& out, Color color, const char* op) {
  appendNumber(out, color.r);
  out += ' ';
  appendNumber(out, color.g);
  out += ' ';
  appendNumber(out, color.b);
  out += ' ';
  out += op;
  out += '\n';
}

void appendHex4(std::string& out, unsigned value) {
  constexpr const char* kHex = "0123456789ABCDEF";
  for (int shift = 12; shift >= 0; shift -= 4)
    out.push_back(kHex[(value >> static_cast<unsigned>(shift)) & 0xFU]);
}

/// The glyphs one document uses from one font, numbered in order of first use after .notdef.
struct GlyphUse {
  std::vector<std::uint16_t> old_ids{0};  ///< new id -> old id
  std::vector<char32_t> unicode{0};       ///< new id -> the character it shows
  std::vector<std::uint16_t> new_ids;     ///< old id -> new id (0 = unused)

  std::uint16_t use(std::uint16_t old_id, char32_t cp) {
    if (new_ids.size() <= old_id) new_ids.resize(std::size_t{old_id} + 1, 0);
    if (new_ids[old_id] == 0 && old_id != 0) {
      new_ids[old_id] = static_cast<std::uint16_t>(old_ids.size());
      old_ids.push_back(old_id);
      unicode.push_back(cp);
    }
    return new_ids[old_id];
  }
};

std::string toUnicodeCMap(const GlyphUse& use) {
  std::string out =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  const std::size_t count = use.unicode.size() - 1;
  for (std::size_t first = 1; first <= count; first += 100) {
    const std::size_t last = std::min(count, first + 99);
    out += std::to_string(last - first + 1) + " beginbfchar\n";
    for (std::size_t id = first; id <= last; ++id) {
      out += '<';
      appendHex4(out, static_cast<unsigned>(id));
      out += "> <";
      const char32_t cp = use.unicode[id];
      if (cp >= 0x10000) {
        const char32_t v = cp - 0x10000;
        appendHex4(out, static_cast<unsigned>(0xD800 + (v >> 10U)));
        appendHex4(out, static_cast<unsigned>(0xDC00 + (v & 0x3FFU)));
      } else {
        appendHex4(out, static_cast<unsigned>(cp));
      }
      out += ">\n";
    }
    out += "endbfchar\n";
  }
  out += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  return out;
}

/// "ABCDEF": the subset tag PDF asks for, derived from the glyphs so equal subsets share it.
std::string subsetTag(const std::vector<std::uint16_t>& glyphs) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (const std::uint16_t glyph : glyphs) {
    hash = (hash ^ glyph) * 1099511628211ULL;
  }
  std::string tag;
  for (int i = 0; i < 6; ++i) {
    tag.push_back(static_cast<char>('A' + hash % 26));
    hash /= 26;
  }
  return tag;
}

struct QrDeleter {
  void operator()(QRcode* code) const noexcept { QRcode_free(code); }
};
using QrCode = std::unique_ptr<QRcode, QrDeleter>;

/// The QR code's dark modules as filled rectangles.
void appendQr(std::string& out, const std::string& payload, double left, double bottom,
              double size) {
  errno = 0;
  // Level M (15 % of the symbol may be lost) with libqrencode's own choice among the eight masks:
  // a printed certificate gets folded and smudged, and the mask search is what keeps the symbol
  // free of patterns that confuse phone cameras. A signed payload of ~420 bytes is version 16.
  QrCode code(QRcode_encodeString(payload.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (!code) {
    throw Error(Error::Kind::invalid_input, "qr_payload",
                std::string("qr_payload: cannot be encoded as a QR code: ") + std::strerror(errno));
  }
  const int n = code->width;
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
  const auto dark = [&](int row, int column) { return (code->data[row * n + column] & 1U) != 0; };
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

// ---------------------------------------------------------------------------------------------
// Compression

/// One zlib stream reused for every PDF stream of a renderer. The renderer deflates its streams
/// itself rather than through libharu's HPDF_COMP_ALL (zlib's default level 6 through 4 KB
/// buffers), so that it can choose per stream: page text and the QR code's rectangles repeat a
/// lot and compress fourfold even at level 1; glyph outlines hardly repeat, so Huffman coding
/// alone keeps most of the gain at a fraction of the time.
class Deflater {
 public:
  enum class Kind { text, binary };
  Deflater() {
    // A certificate's streams are each under 32 KB: a 16 KB hash table (memLevel 6) finds the
    // same matches as the default 128 KB one, and deflateReset clears it for every stream.
    if (deflateInit2(&stream_, 1, Z_DEFLATED, 15, 6, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw Error(Error::Kind::internal, "", "zlib: deflateInit2 failed");
    }
  }
  ~Deflater() { deflateEnd(&stream_); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  std::string compress(std::string_view input, Kind kind) {
    if (deflateReset(&stream_) != Z_OK ||
        deflateParams(&stream_, 1, kind == Kind::text ? Z_DEFAULT_STRATEGY : Z_HUFFMAN_ONLY) !=
            Z_OK) {
      throw Error(Error::Kind::internal, "", "zlib: deflateReset failed");
    }
    std::string output(deflateBound(&stream_, static_cast<uLong>(input.size())), '\0');
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    stream_.avail_in = static_cast<uInt>(input.size());
    stream_.next_out = reinterpret_cast<Bytef*>(output.data());
    stream_.avail_out = static_cast<uInt>(output.size());
    if (deflate(&stream_, Z_FINISH) != Z_STREAM_END) {
      throw Error(Error::Kind::internal, "", "zlib: deflate failed");
    }
    output.resize(stream_.total_out);
    return output;
  }

 private:
  z_stream stream_{};
};

// ---------------------------------------------------------------------------------------------
// libharu

/// One HPDF_Doc for the renderer's lifetime; each certificate is a new document in it
/// (HPDF_NewDoc), which keeps libharu's memory manager and error handler. libharu's errors are
/// recorded by the handler and turned into Error(internal) by check().
class PdfDocument {
 public:
  PdfDocument() : doc_(HPDF_New(&PdfDocument::onError, this)) {
    if (doc_ == nullptr)
      throw Error(Error::Kind::internal, "", "libharu: cannot create a document");
  }
  ~PdfDocument() { HPDF_Free(doc_); }
  PdfDocument(const PdfDocument&) = delete;
  PdfDocument& operator=(const PdfDocument&) = delete;

  HPDF_Doc get() const noexcept { return doc_; }

  void start() {
    error_ = HPDF_OK;
    HPDF_ResetError(doc_);
    check(HPDF_NewDoc(doc_), "HPDF_NewDoc");
    // Streams arrive deflated already (see Deflater).
    check(HPDF_SetCompressionMode(doc_, HPDF_COMP_NONE), "HPDF_SetCompressionMode");
  }

  void check(HPDF_STATUS status, const char* call) const {
    if (status == HPDF_OK && error_ == HPDF_OK) return;
    const HPDF_STATUS code = error_ != HPDF_OK ? error_ : HPDF_GetError(doc_);
    char message[160];
    std::snprintf(message, sizeof message, "libharu: %s failed (error 0x%04X, detail %u)", call,
                  static_cast<unsigned>(code), static_cast<unsigned>(detail_));
    throw Error(Error::Kind::internal, "", message);
  }
  template <typename T>
  T* checked(T* object, const char* call) const {
    if (object == nullptr) check(HPDF_GetError(doc_) != HPDF_OK ? HPDF_GetError(doc_) : 1, call);
    check(HPDF_OK, call);
    return object;
  }

  std::string bytes() {
    check(HPDF_SaveToStream(doc_), "HPDF_SaveToStream");
    const HPDF_UINT32 size = HPDF_GetStreamSize(doc_);
    check(HPDF_ResetStream(doc_), "HPDF_ResetStream");
    std::string out(size, '\0');
    HPDF_UINT32 read = size;
    check(HPDF_ReadFromStream(doc_, reinterpret_cast<HPDF_BYTE*>(out.data()), &read),
          "HPDF_ReadFromStream");
    out.resize(read);
    return out;
  }

 private:
  static void onError(HPDF_STATUS error, HPDF_STATUS detail, void* user) noexcept {
    auto* self = static_cast<PdfDocument*>(user);
    if (self->error_ == HPDF_OK) {
      self->error_ = error;
      self->detail_ = detail;
    }
  }

  HPDF_Doc doc_;
  HPDF_STATUS error_ = HPDF_OK;
  HPDF_STATUS detail_ = 0;
};

/// Adds a Type0/CIDFontType2 font with the subset of `font` that `use` names, and returns it.
// libharu writes a stream's /Filter from its own filter flags and drops any other; a dictionary's
// write_fn is called after its entries, so it can state the filter of bytes deflated elsewhere.
HPDF_STATUS writeFlateFilter(HPDF_Dict, HPDF_Stream out) {
  return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/// Writes already deflated bytes into a stream object and says so in its dictionary.
void writeDeflated(const PdfDocument& pdf, HPDF_Dict stream, const std::string& deflated) {
  if (stream->write_fn != nullptr) {
    throw Error(Error::Kind::internal, "", "libharu: stream object already has a writer");
  }
  stream->filter = HPDF_STREAM_FILTER_NONE;
  stream->write_fn = &writeFlateFilter;
  pdf.check(HPDF_Stream_Write(stream->stream, reinterpret_cast<const HPDF_BYTE*>(deflated.data()),
                              static_cast<HPDF_UINT>(deflated.size())),
            "HPDF_Stream_Write");
}

HPDF_Dict addFont(const PdfDocument& pdf, Deflater& deflater, const truetype::Font& font,
                  GlyphUse& use) {
  HPDF_Doc doc = pdf.get();
  HPDF_MMgr mmgr = doc->mmgr;
  HPDF_Xref xref = doc->xref;
  std::vector<std::uint16_t> glyphs = use.old_ids;
  const std::string program = font.subset(glyphs);
  const std::string base = subsetTag(use.old_ids) + "+" + font.postscriptName();

  HPDF_STATUS status = HPDF_OK;
  HPDF_Dict type0 = pdf.checked(HPDF_Dict_New(mmgr), "HPDF_Dict_New");
  pdf.check(HPDF_Xref_Add(xref, type0), "HPDF_Xref_Add");
  status += HPDF_Dict_AddName(type0, "Type", "Font");
  status += HPDF_Dict_AddName(type0, "Subtype", "Type0");
  status += HPDF_Dict_AddName(type0, "BaseFont", base.c_str());
  status += HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
  HPDF_Array descendants = pdf.checked(HPDF_Array_New(mmgr), "HPDF_Array_New");
  status += HPDF_Dict_Add(type0, "DescendantFonts", descendants);

  HPDF_Dict cid = pdf.checked(HPDF_Dict_New(mmgr), "HPDF_Dict_New");
  pdf.check(HPDF_Xref_Add(xref, cid), "HPDF_Xref_Add");
  status += HPDF_Array_Add(descendants, cid);
  status += HPDF_Dict_AddName(cid, "Type", "Font");
  status += HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
  status += HPDF_Dict_AddName(cid, "BaseFont", base.c_str());
  status += HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");
  HPDF_Dict system_info = pdf.checked(HPDF_Dict_New(mmgr), "HPDF_Dict_New");
  status += HPDF_Dict_Add(cid, "CIDSystemInfo", system_info);
  status += HPDF_Dict_Add(system_info, "Registry",
                          pdf.checked(HPDF_String_New(mmgr, "Adobe", nullptr), "HPDF_String_New"));
  status +=
      HPDF_Dict_Add(system_info, "Ordering",
                    pdf.checked(HPDF_String_New(mmgr, "Identity", nullptr), "HPDF_String_New"));
  status += HPDF_Dict_AddNumber(system_info, "Supplement", 0);
  HPDF_Array widths = pdf.checked(HPDF_Array_New(mmgr), "HPDF_Array_New");
  HPDF_Array run = pdf.checked(HPDF_Array_New(mmgr), "HPDF_Array_New");
  status += HPDF_Dict_Add(cid, "W", widths);
  status += HPDF_Array_AddNumber(widths, 0);
  status += HPDF_Array_Add(widths, run);
  for (const std::uint16_t old : glyphs) {
    status += HPDF_Array_AddNumber(
        run, static_cast<HPDF_INT32>(std::lround(font.advance(old) * 1000.0 / font.unitsPerEm())));
  }

  HPDF_Dict descriptor = pdf.checked(HPDF_Dict_New(mmgr), "HPDF_Dict_New");
  pdf.check(HPDF_Xref_Add(xref, descriptor), "HPDF_Xref_Add");
  status += HPDF_Dict_Add(cid, "FontDescriptor", descriptor);
  status += HPDF_Dict_AddName(descriptor, "Type", "FontDescriptor");
  status += HPDF_Dict_AddName(descriptor, "FontName", base.c_str());
  status += HPDF_Dict_AddNumber(descriptor, "Flags", 32);  // nonsymbolic
  HPDF_Array bbox = pdf.checked(HPDF_Array_New(mmgr), "HPDF_Array_New");
  status += HPDF_Dict_Add(descriptor, "FontBBox", bbox);
  status += HPDF_Array_AddNumber(bbox, font.bboxLeft());
  status += HPDF_Array_AddNumber(bbox, font.bboxBottom());
  status += HPDF_Array_AddNumber(bbox, font.bboxRight());
  status += HPDF_Array_AddNumber(bbox, font.bboxTop());
  status += HPDF_Dict_AddNumber(descriptor, "ItalicAngle", 0);
  status += HPDF_Dict_AddNumber(descriptor, "Ascent", font.ascent());
  status += HPDF_Dict_AddNumber(descriptor, "Descent", font.descent());
  status += HPDF_Dict_AddNumber(descriptor, "CapHeight", font.capHeight());
  status += HPDF_Dict_AddNumber(descriptor, "StemV", 80);
  HPDF_Dict file = pdf.checked(HPDF_DictStream_New(mmgr, xref), "HPDF_DictStream_New");
  status += HPDF_Dict_AddNumber(file, "Length1", static_cast<HPDF_INT32>(program.size()));
  writeDeflated(pdf, file, deflater.compress(program, Deflater::Kind::binary));
  status += HPDF_Dict_Add(descriptor, "FontFile2", file);

  // pdftotext, search and copy-paste read the text back through this map.
  const std::string cmap = toUnicodeCMap(use);
  HPDF_Dict to_unicode = pdf.checked(HPDF_DictStream_New(mmgr, xref), "HPDF_DictStream_New");
  writeDeflated(pdf, to_unicode, deflater.compress(cmap, Deflater::Kind::text));
  status += HPDF_Dict_Add(type0, "ToUnicode", to_unicode);
  pdf.check(status, "building a font");
  return type0;
}

}  // namespace

struct Renderer::Impl {
  truetype::Font regular;
  truetype::Font bold;
  Fonts fonts{};
  PdfDocument pdf;
  Deflater deflater;

  explicit Impl(const FontSet& set) : regular(set.regular), bold(set.bold) {
    if (std::string_view(HPDF_GetVersion()) != HPDF_VERSION_TEXT) {
      throw Error(Error::Kind::internal, "",
                  std::string("libharu ") + HPDF_GetVersion() + " is loaded, built for " +
                      HPDF_VERSION_TEXT);
    }
    fonts.faces[0] = &regular;
    fonts.faces[1] = &bold;
    for (int f = 0; f < 2; ++f) {
      fonts.ascent[f] = fonts.faces[f]->ascent() / 1000.0;
      fonts.descent[f] = -fonts.faces[f]->descent() / 1000.0;
    }
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
    text += "BT\n";
    int current_face = -1;
    double current_size = 0;
    for (const Run& run : laid->runs) {
      const int f = static_cast<int>(run.face);
      if (f != current_face || run.size != current_size) {
        text += f == 0 ? "/F1 " : "/F2 ";
        appendNumber(text, run.size);
        text += " Tf\n";
        current_face = f;
        current_size = run.size;
      }
      appendColor(text, run.color, "rg");
      text += "1 0 0 1 ";
      appendNumber(text, run.x);
      text += ' ';
      appendNumber(text, run.baseline);
      text += " Tm\n<";
      for (const char32_t cp : run.text) {
        appendHex4(text, use[f].use(fonts.glyph(f, cp), cp));
      }
      text += "> Tj\n";
    }
    text += "ET\n";
    appendQr(text, page.qr_payload, kRight - kQrSize, kQrBottom, kQrSize);

    pdf.start();
    HPDF_Page pdf_page = pdf.checked(HPDF_AddPage(pdf.get()), "HPDF_AddPage");
    pdf.check(HPDF_Page_SetSize(pdf_page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_LANDSCAPE),
              "HPDF_Page_SetSize");
    // The page's content is written whole, deflated, into the stream libharu made for it.
    auto* attr = static_cast<HPDF_PageAttr>(pdf_page->attr);
    pdf.checked(attr->contents, "page contents");
    writeDeflated(pdf, attr->contents, deflater.compress(text, Deflater::Kind::text));
    auto* resources = static_cast<HPDF_Dict>(
        HPDF_Page_GetInheritableItem(pdf_page, "Resources", HPDF_OCLASS_DICT));
    pdf.checked(resources, "HPDF_Page_GetInheritableItem");
    HPDF_Dict font_resources = pdf.checked(HPDF_Dict_New(pdf.get()->mmgr), "HPDF_Dict_New");
    pdf.check(HPDF_Dict_Add(resources, "Font", font_resources), "HPDF_Dict_Add");
    pdf.check(HPDF_Dict_Add(font_resources, "F1", addFont(pdf, deflater, regular, use[0])),
              "HPDF_Dict_Add");
    pdf.check(HPDF_Dict_Add(font_resources, "F2", addFont(pdf, deflater, bold, use[1])),
              "HPDF_Dict_Add");
    pdf.check(HPDF_SetInfoAttr(pdf.get(), HPDF_INFO_CREATOR, "Qatysu"), "HPDF_SetInfoAttr");
    return pdf.bytes();
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
