#include "courses/text.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <vector>

#include "courses/error.hpp"
#include "invalid.hpp"

namespace courses {
namespace {

// Largest input handed to ICU, whose string lengths are int32_t. Far above any field limit.
constexpr std::size_t kMaxIcuInput = std::numeric_limits<std::int32_t>::max() / 4;

/// Decodes text already known to be valid UTF-8 into code points.
std::vector<char32_t> decode(std::string_view valid_utf8) {
  std::vector<char32_t> out;
  out.reserve(valid_utf8.size());
  std::size_t i = 0;
  while (i < valid_utf8.size()) {
    const auto lead = static_cast<unsigned char>(valid_utf8[i]);
    std::size_t length = 1;
    char32_t cp = lead;
    if (lead >= 0xF0) {
      length = 4;
      cp = lead & 0x07u;
    } else if (lead >= 0xE0) {
      length = 3;
      cp = lead & 0x0Fu;
    } else if (lead >= 0xC0) {
      length = 2;
      cp = lead & 0x1Fu;
    }
    for (std::size_t k = 1; k < length && i + k < valid_utf8.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(valid_utf8[i + k]) & 0x3Fu);
    }
    out.push_back(cp);
    i += length;
  }
  return out;
}

void appendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0u | (cp >> 6)));
    out.push_back(static_cast<char>(0x80u | (cp & 0x3Fu)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0u | (cp >> 12)));
    out.push_back(static_cast<char>(0x80u | ((cp >> 6) & 0x3Fu)));
    out.push_back(static_cast<char>(0x80u | (cp & 0x3Fu)));
  } else {
    out.push_back(static_cast<char>(0xF0u | (cp >> 18)));
    out.push_back(static_cast<char>(0x80u | ((cp >> 12) & 0x3Fu)));
    out.push_back(static_cast<char>(0x80u | ((cp >> 6) & 0x3Fu)));
    out.push_back(static_cast<char>(0x80u | (cp & 0x3Fu)));
  }
}

icu::UnicodeString toIcu(std::string_view valid_utf8) {
  if (valid_utf8.size() > kMaxIcuInput) {
    throw Error(ErrorCode::invalid_argument, "text is too long");
  }
  return icu::UnicodeString::fromUTF8(
      icu::StringPiece(valid_utf8.data(), static_cast<std::int32_t>(valid_utf8.size())));
}

const icu::Normalizer2& nfcInstance() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status) || nfc == nullptr) {
    throw Error(ErrorCode::internal, "Unicode normalisation data is unavailable");
  }
  return *nfc;
}

icu::UnicodeString normalizeNfc(const icu::UnicodeString& text) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out = nfcInstance().normalize(text, status);
  if (U_FAILURE(status)) throw Error(ErrorCode::internal, "Unicode normalisation failed");
  return out;
}

std::string hexCodePoint(char32_t cp) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string hex;
  for (int shift = 20; shift >= 0; shift -= 4) {
    const auto digit = (cp >> static_cast<unsigned>(shift)) & 0xFu;
    if (digit != 0 || !hex.empty() || shift < 16) hex.push_back(kDigits[digit]);
  }
  return "U+" + hex;
}

/// Spaces that people type or paste between words (category Zs: space, no-break space, …).
bool isSpace(char32_t cp) noexcept {
  return u_charType(static_cast<UChar32>(cp)) == U_SPACE_SEPARATOR;
}

/// Characters that must never reach storage or a certificate: controls (C0, DEL, C1), format and
/// invisible characters (zero-width, bidi overrides, BOM), surrogates, private use, unassigned
/// code points and line/paragraph separators.
bool isForbidden(char32_t cp) noexcept {
  switch (u_charType(static_cast<UChar32>(cp))) {
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR:
    case U_SURROGATE:
    case U_PRIVATE_USE_CHAR:
    case U_UNASSIGNED:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
      return true;
    default:
      // U+FFFD marks text that was already mangled by a wrong decoding somewhere upstream.
      return cp == 0xFFFD;
  }
}

std::string lengthProblem(std::size_t min_code_points, std::size_t max_code_points) {
  if (min_code_points == 0) {
    return "must be at most " + std::to_string(max_code_points) + " characters long";
  }
  return "must be " + std::to_string(min_code_points) + " to " + std::to_string(max_code_points) +
         " characters long";
}

/// The shared pipeline of validateName and validateText: strict UTF-8, no forbidden characters,
/// trimmed (and inner space runs collapsed to one space when asked), NFC, length in code points.
std::string cleanText(std::string_view raw, std::string_view field, std::size_t min_code_points,
                      std::size_t max_code_points, bool collapse_inner_spaces) {
  const std::string field_name(field);
  if (const auto bad = firstInvalidUtf8(raw)) {
    detail::throwInvalid(
        field_name, "must be valid UTF-8 (invalid byte at offset " + std::to_string(*bad) + ")");
  }
  // Anything far beyond the limit is rejected before it costs decoding and normalisation.
  // A code point takes at most 4 bytes; spaces and decomposed forms may shrink on the way.
  if (max_code_points < (std::size_t{1} << 24) && raw.size() > (max_code_points + 64) * 8) {
    detail::throwInvalid(field_name, lengthProblem(min_code_points, max_code_points));
  }
  const std::vector<char32_t> code_points = decode(raw);
  std::string collapsed;
  collapsed.reserve(raw.size());
  bool pending_space = false;
  std::size_t position = 0;
  for (const char32_t cp : code_points) {
    ++position;
    if (isForbidden(cp)) {
      detail::throwInvalid(field_name, "must not contain control or invisible characters (" +
                                           hexCodePoint(cp) + " at character " +
                                           std::to_string(position) + ")");
    }
    if (isSpace(cp)) {
      if (collapse_inner_spaces) {
        pending_space = !collapsed.empty();
      } else if (!collapsed.empty()) {
        appendUtf8(collapsed, cp);
      }
      continue;
    }
    if (pending_space) collapsed.push_back(' ');
    pending_space = false;
    appendUtf8(collapsed, cp);
  }
  if (!collapse_inner_spaces) {
    // Trailing spaces were copied while scanning; drop them now.
    const std::vector<char32_t> kept = decode(collapsed);
    std::size_t end = kept.size();
    while (end > 0 && isSpace(kept[end - 1])) --end;
    std::string trimmed;
    for (std::size_t k = 0; k < end; ++k) appendUtf8(trimmed, kept[k]);
    collapsed = std::move(trimmed);
  }
  std::string normalized = toNfc(collapsed);
  const std::size_t count = codePointCount(normalized);
  if (count < min_code_points || count > max_code_points) {
    if (count == 0) detail::throwInvalid(field_name, "must not be empty");
    detail::throwInvalid(field_name, lengthProblem(min_code_points, max_code_points));
  }
  return normalized;
}

}  // namespace

std::optional<std::size_t> firstInvalidUtf8(std::string_view text) noexcept {
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    char32_t cp = 0;
    char32_t smallest = 0;  // below this the sequence is an overlong form
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      cp = lead & 0x1Fu;
      smallest = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      cp = lead & 0x0Fu;
      smallest = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      cp = lead & 0x07u;
      smallest = 0x10000;
    } else {
      // 80..BF: stray continuation; C0, C1: always overlong; F5..FF: beyond U+10FFFF.
      return i;
    }
    if (n - i < length) return i;
    for (std::size_t k = 1; k < length; ++k) {
      const auto byte = static_cast<unsigned char>(text[i + k]);
      if ((byte & 0xC0u) != 0x80u) return i;
      cp = (cp << 6) | (byte & 0x3Fu);
    }
    if (cp < smallest || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += length;
  }
  return std::nullopt;
}

std::size_t codePointCount(std::string_view valid_utf8) noexcept {
  std::size_t count = 0;
  for (const char c : valid_utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u) ++count;
  }
  return count;
}

std::string toNfc(std::string_view valid_utf8) {
  const icu::UnicodeString normalized = normalizeNfc(toIcu(valid_utf8));
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

std::string validateName(std::string_view raw, std::string_view field) {
  std::string name = cleanText(raw, field, 1, 200, /*collapse_inner_spaces=*/true);
  bool has_letter = false;
  for (const char32_t cp : decode(name)) {
    if (u_isalpha(static_cast<UChar32>(cp))) {
      has_letter = true;
      break;
    }
  }
  if (!has_letter) detail::throwInvalid(std::string(field), "must contain at least one letter");
  return name;
}

std::string validateText(std::string_view raw, std::string_view field, std::size_t min_code_points,
                         std::size_t max_code_points) {
  return cleanText(raw, field, min_code_points, max_code_points, /*collapse_inner_spaces=*/false);
}

std::string nameMatchKey(std::string_view valid_name) {
  icu::UnicodeString folded = normalizeNfc(toIcu(valid_name));
  folded.foldCase(U_FOLD_CASE_DEFAULT);
  folded = normalizeNfc(folded);

  std::string key;
  key.reserve(valid_name.size());
  bool pending_space = false;
  const std::int32_t length = folded.length();
  for (std::int32_t i = 0; i < length; i = folded.moveIndex32(i, 1)) {
    auto cp = static_cast<char32_t>(folded.char32At(i));
    switch (cp) {
      case 0x0451:  // ё is written as е about as often as not
        cp = 0x0435;
        break;
      case 0x0027:  // '  apostrophe variants are dropped: people type them, or not, at random
      case 0x0060:  // `
      case 0x00B4:  // ´
      case 0x02B9:  // ʹ
      case 0x02BB:  // ʻ
      case 0x02BC:  // ʼ
      case 0x2018:  // ‘
      case 0x2019:  // ’
      case 0x2032:  // ′
        continue;
      case 0x2010:  // ‐  hyphen and dash variants become one ASCII hyphen
      case 0x2011:  // ‑
      case 0x2012:  // ‒
      case 0x2013:  // –
      case 0x2014:  // —
      case 0x2015:  // ―
      case 0x2212:  // −
        cp = '-';
        break;
      default:
        break;
    }
    if (u_isUWhiteSpace(static_cast<UChar32>(cp))) {
      pending_space = !key.empty();
      continue;
    }
    if (u_charType(static_cast<UChar32>(cp)) == U_FORMAT_CHAR) continue;
    if (cp == '-') {
      // "Анна - Мария" and "Анна-Мария" are the same name.
      pending_space = false;
      if (!key.empty() && key.back() == ' ') key.pop_back();
      key.push_back('-');
      continue;
    }
    if (pending_space && key.back() != '-') key.push_back(' ');
    pending_space = false;
    appendUtf8(key, cp);
  }
  return key;
}

namespace {

int digitsAt(std::string_view text, std::size_t pos, std::size_t count) noexcept {
  int value = 0;
  for (std::size_t k = pos; k < pos + count; ++k) {
    const char c = text[k];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::string_view trim(std::string_view text, std::string_view characters) noexcept {
  const std::size_t first = text.find_first_not_of(characters);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(characters) - first + 1);
}

bool isValidDate(std::string_view text) noexcept {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  const int year = digitsAt(text, 0, 4);
  const int month = digitsAt(text, 5, 2);
  const int day = digitsAt(text, 8, 2);
  // The storage's DATE type starts at year 1000.
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days = kDaysInMonth[month - 1] + ((month == 2 && leap) ? 1 : 0);
  return day <= days;
}

bool isValidTimestamp(std::string_view text) noexcept {
  if (text.size() != 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != 'Z') {
    return false;
  }
  if (!isValidDate(text.substr(0, 10))) return false;
  const int hour = digitsAt(text, 11, 2);
  const int minute = digitsAt(text, 14, 2);
  const int second = digitsAt(text, 17, 2);
  // Leap seconds (":60") are not accepted: storage and clocks here never produce them.
  return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
}

namespace {

std::chrono::sys_seconds instantOf(std::string_view timestamp) {
  if (!isValidTimestamp(timestamp)) throw Error(ErrorCode::internal, "malformed timestamp");
  const std::chrono::year_month_day date{
      std::chrono::year{digitsAt(timestamp, 0, 4)},
      std::chrono::month{static_cast<unsigned>(digitsAt(timestamp, 5, 2))},
      std::chrono::day{static_cast<unsigned>(digitsAt(timestamp, 8, 2))}};
  return std::chrono::sys_days{date} + std::chrono::hours{digitsAt(timestamp, 11, 2)} +
         std::chrono::minutes{digitsAt(timestamp, 14, 2)} +
         std::chrono::seconds{digitsAt(timestamp, 17, 2)};
}

}  // namespace

std::string addSeconds(std::string_view timestamp, long long seconds) {
  const std::chrono::sys_seconds instant = instantOf(timestamp) + std::chrono::seconds{seconds};
  const auto day = std::chrono::floor<std::chrono::days>(instant);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time{instant - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ", int{date.year()},
                unsigned{date.month()}, unsigned{date.day()},
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return buffer;
}

long long secondsBetween(std::string_view from, std::string_view to) {
  return (instantOf(to) - instantOf(from)).count();
}

namespace {

/// Passport spellings of the Cyrillic letters of Kazakh and Russian, lower case first.
struct Spelling {
  char32_t lower;
  char32_t upper;
  std::string_view latin;
};
constexpr Spelling kSpellings[] = {
    {U'а', U'А', "a"},  {U'ә', U'Ә', "a"},  {U'б', U'Б', "b"},    {U'в', U'В', "v"},
    {U'г', U'Г', "g"},  {U'ғ', U'Ғ', "g"},  {U'д', U'Д', "d"},    {U'е', U'Е', "e"},
    {U'ё', U'Ё', "e"},  {U'ж', U'Ж', "zh"}, {U'з', U'З', "z"},    {U'и', U'И', "i"},
    {U'й', U'Й', "i"},  {U'к', U'К', "k"},  {U'қ', U'Қ', "k"},    {U'л', U'Л', "l"},
    {U'м', U'М', "m"},  {U'н', U'Н', "n"},  {U'ң', U'Ң', "n"},    {U'о', U'О', "o"},
    {U'ө', U'Ө', "o"},  {U'п', U'П', "p"},  {U'р', U'Р', "r"},    {U'с', U'С', "s"},
    {U'т', U'Т', "t"},  {U'у', U'У', "u"},  {U'ұ', U'Ұ', "u"},    {U'ү', U'Ү', "u"},
    {U'ф', U'Ф', "f"},  {U'х', U'Х', "kh"}, {U'һ', U'Һ', "h"},    {U'ц', U'Ц', "ts"},
    {U'ч', U'Ч', "ch"}, {U'ш', U'Ш', "sh"}, {U'щ', U'Щ', "shch"}, {U'ъ', U'Ъ', ""},
    {U'ы', U'Ы', "y"},  {U'і', U'І', "i"},  {U'ь', U'Ь', ""},     {U'э', U'Э', "e"},
    {U'ю', U'Ю', "yu"}, {U'я', U'Я', "ya"},
};

}  // namespace

std::string latinSpelling(std::string_view valid_name) {
  std::string out;
  for (const char32_t cp : decode(valid_name)) {
    if (cp == U' ' || cp == U'\t') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else if ((cp >= U'a' && cp <= U'z') || (cp >= U'0' && cp <= U'9') || cp == U'-') {
      out += static_cast<char>(cp);
    } else if (cp >= U'A' && cp <= U'Z') {
      out += static_cast<char>(cp - U'A' + U'a');
    } else {
      for (const Spelling& spelling : kSpellings) {
        if (cp == spelling.lower || cp == spelling.upper) {
          out += spelling.latin;
          break;
        }
      }
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::optional<std::string> normalizeTypedCode(std::string_view typed, std::size_t length) {
  // Anything much longer than a code with separators is not one; refuse it before looking.
  if (typed.size() > 4 * length) return std::nullopt;
  std::string code;
  for (const char raw : typed) {
    if (raw == '-' || raw == ' ') continue;
    char c = raw >= 'a' && raw <= 'z' ? static_cast<char>(raw - 'a' + 'A') : raw;
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (kCrockfordAlphabet.find(c) == std::string_view::npos) return std::nullopt;
    code += c;
  }
  if (code.size() != length) return std::nullopt;
  return code;
}

std::string formatTypedCode(std::string_view code) {
  const std::size_t half = code.size() / 2;
  return std::string(code.substr(0, half)) + "-" + std::string(code.substr(half));
}

}  // namespace courses
