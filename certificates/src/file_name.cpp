#include "certificates/file_name.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <optional>
#include <vector>

namespace certificates {

namespace {

constexpr std::size_t kMaxFileNameBytes = 120;
constexpr std::string_view kExtension = ".pdf";

// Kazakh and Russian Cyrillic (and the few Ukrainian and Belarusian letters the region's names
// carry) in lower case. A table of our own rather than ICU's Cyrillic-Latin transliterator:
// ICU follows ISO 9 and writes ж, ш, ә, ұ as ž, š, ä, ū, which would only become ASCII by
// losing information (ž -> z, ш and с alike), while names people read want "zh", "sh" and the
// Kazakh Latin alphabet's "q" for қ and "g" for ғ.
struct Letter {
  char32_t cyrillic;
  std::string_view latin;
};
constexpr Letter kLetters[] = {
    {U'а', "a"},
    {U'б', "b"},
    {U'в', "v"},
    {U'г', "g"},
    {U'д', "d"},
    {U'е', "e"},
    {U'ё', "yo"},
    {U'ж', "zh"},
    {U'з', "z"},
    {U'и', "i"},
    {U'й', "y"},
    {U'к', "k"},
    {U'л', "l"},
    {U'м', "m"},
    {U'н', "n"},
    {U'о', "o"},
    {U'п', "p"},
    {U'р', "r"},
    {U'с', "s"},
    {U'т', "t"},
    {U'у', "u"},
    {U'ф', "f"},
    {U'х', "kh"},
    {U'ц', "ts"},
    {U'ч', "ch"},
    {U'ш', "sh"},
    {U'щ', "shch"},
    {U'ъ', ""},
    {U'ы', "y"},
    {U'ь', ""},
    {U'э', "e"},
    {U'ю', "yu"},
    {U'я', "ya"},
    // Kazakh
    {U'ә', "a"},
    {U'ғ', "g"},
    {U'қ', "q"},
    {U'ң', "n"},
    {U'ө', "o"},
    {U'ұ', "u"},
    {U'ү', "u"},
    {U'һ', "h"},
    {U'і', "i"},
    // Ukrainian, Belarusian
    {U'є', "ye"},
    {U'ї', "yi"},
    {U'ґ', "g"},
    {U'ў', "u"},
    // Latin letters that do not decompose into an ASCII letter and a mark
    {U'ß', "ss"},
    {U'æ', "ae"},
    {U'œ', "oe"},
    {U'ø', "o"},
    {U'ł', "l"},
    {U'đ', "d"},
    {U'ı', "i"},
    {U'þ', "th"},
    {U'ð', "d"},
};

std::optional<std::string_view> tableLatin(char32_t lower) {
  const auto* found = std::find_if(std::begin(kLetters), std::end(kLetters),
                                   [&](const Letter& letter) { return letter.cyrillic == lower; });
  if (found == std::end(kLetters)) return std::nullopt;
  return found->latin;
}

// Apostrophes belong inside a name ("O'Brien", "Ғабит'ұлы"), so they join instead of separating.
bool isApostrophe(char32_t c) {
  return c == U'\'' || c == U'’' || c == U'ʼ' || c == U'ʻ' || c == U'`' || c == U'‘';
}

bool isAsciiAlnum(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9');
}

// Decodes UTF-8; a byte that starts no valid sequence comes out as U+FFFD, so any input is safe.
std::vector<char32_t> decodeUtf8(std::string_view text) {
  std::vector<char32_t> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    char32_t c = 0;
    if (lead < 0x80) {
      length = 1;
      c = lead;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      c = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      c = lead & 0x0Fu;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      c = lead & 0x07u;
    }
    bool valid = length > 0 && text.size() - i >= length;
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0u) == 0x80u;
      c = (c << 6) | (next & 0x3Fu);
    }
    valid = valid && !(length == 3 && c < 0x800) && !(length == 4 && c < 0x10000) &&
            !(c >= 0xD800 && c <= 0xDFFF) && c <= 0x10FFFF;
    if (valid) {
      out.push_back(c);
      i += length;
    } else {
      out.push_back(U'\uFFFD');
      ++i;
    }
  }
  return out;
}

bool isUpper(char32_t c) {
  return u_isupper(static_cast<UChar32>(c)) != 0;
}
bool isLower(char32_t c) {
  return u_islower(static_cast<UChar32>(c)) != 0;
}

// ASCII letters and digits left when a character's canonical decomposition drops its marks
// ("ü" -> "u", "Ç" -> "C"); empty when nothing ASCII remains.
std::string asciiSkeleton(char32_t c) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status) || nfd == nullptr) return {};
  icu::UnicodeString decomposed;
  if (!nfd->getDecomposition(static_cast<UChar32>(c), decomposed)) return {};
  std::string out;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 part = decomposed.char32At(i);
    if (part >= 0 && isAsciiAlnum(static_cast<char32_t>(part)))
      out.push_back(static_cast<char>(part));
    i += U16_LENGTH(part);
  }
  return out;
}

char toUpperAscii(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

}  // namespace

std::string transliterate(std::string_view utf8) {
  const std::vector<char32_t> text = decodeUtf8(utf8);
  std::string out;
  bool pending_separator = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char32_t c = text[i];
    if (isApostrophe(c)) continue;
    // Combining marks left after a decomposed letter ("и" + U+0306) add nothing in ASCII.
    if (u_getCombiningClass(static_cast<UChar32>(c)) != 0 ||
        u_charType(static_cast<UChar32>(c)) == U_NON_SPACING_MARK) {
      continue;
    }
    std::string piece;
    const char32_t lower = static_cast<char32_t>(u_tolower(static_cast<UChar32>(c)));
    if (isAsciiAlnum(c)) {
      piece.push_back(static_cast<char>(c));
    } else if (const auto latin = tableLatin(lower)) {
      piece = std::string(*latin);
      if (piece.empty()) continue;  // ъ and ь have no sound of their own
      if (isUpper(c)) {
        // "Шамиль" -> "Shamil", but "ШАМИЛЬ" -> "SHAMIL": the neighbours tell a capital from caps.
        const char32_t next = i + 1 < text.size() ? text[i + 1] : U' ';
        const char32_t previous = i > 0 ? text[i - 1] : U' ';
        const bool all_caps = isUpper(next) || (isUpper(previous) && !isLower(next));
        piece[0] = toUpperAscii(piece[0]);
        if (all_caps) std::transform(piece.begin(), piece.end(), piece.begin(), toUpperAscii);
      }
    } else {
      piece = asciiSkeleton(c);
    }
    if (piece.empty()) {
      pending_separator = true;  // spaces, hyphens, punctuation, letters with no ASCII form
      continue;
    }
    if (pending_separator && !out.empty()) out.push_back('_');
    pending_separator = false;
    out += piece;
  }
  return out;
}

std::string certificateFileName(std::string_view serial, std::string_view full_name) {
  // Serials are ASCII letters, digits and hyphens; anything else (never expected) becomes '_' so
  // the name cannot carry a path, a quote or a header break.
  std::string safe_serial;
  for (const char c : serial) {
    const bool keep = isAsciiAlnum(static_cast<unsigned char>(c)) || c == '-';
    if (keep) {
      safe_serial.push_back(c);
    } else if (!safe_serial.empty() && safe_serial.back() != '_') {
      safe_serial.push_back('_');
    }
  }
  while (!safe_serial.empty() && (safe_serial.back() == '_' || safe_serial.back() == '-')) {
    safe_serial.pop_back();
  }
  if (safe_serial.empty()) safe_serial = "certificate";
  const std::size_t room = kMaxFileNameBytes - kExtension.size();
  if (safe_serial.size() > room) safe_serial.resize(room);

  std::string name = transliterate(full_name);
  std::string file_name = safe_serial;
  if (!name.empty() && safe_serial.size() + 1 < room) {
    name.resize(std::min(name.size(), room - safe_serial.size() - 1));
    while (!name.empty() && name.back() == '_') name.pop_back();
    if (!name.empty()) file_name += "_" + name;
  }
  file_name += kExtension;
  return file_name;
}

}  // namespace certificates
