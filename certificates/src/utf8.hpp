#pragma once
// Strict UTF-8 decoding for the renderer and the glyph coverage check (private to the library).

#include <cstddef>
#include <optional>
#include <string_view>

namespace certificates::utf8 {

/// Decodes the code point starting at `text[pos]` and advances `pos` past it. Returns nullopt
/// (leaving `pos` unchanged) for an invalid sequence: stray continuation bytes, overlong forms,
/// surrogates, values above U+10FFFF and truncated sequences are all rejected.
inline std::optional<char32_t> next(std::string_view text, std::size_t& pos) noexcept {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  if (pos >= text.size()) return std::nullopt;
  const unsigned char lead = byte(pos);
  if (lead < 0x80) {
    ++pos;
    return char32_t{lead};
  }
  std::size_t length = 0;
  char32_t value = 0;
  char32_t minimum = 0;
  if ((lead & 0xE0U) == 0xC0U) {
    length = 2;
    value = lead & 0x1FU;
    minimum = 0x80;
  } else if ((lead & 0xF0U) == 0xE0U) {
    length = 3;
    value = lead & 0x0FU;
    minimum = 0x800;
  } else if ((lead & 0xF8U) == 0xF0U) {
    length = 4;
    value = lead & 0x07U;
    minimum = 0x10000;
  } else {
    return std::nullopt;
  }
  if (text.size() - pos < length) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char continuation = byte(pos + i);
    if ((continuation & 0xC0U) != 0x80U) return std::nullopt;
    value = (value << 6U) | (continuation & 0x3FU);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return std::nullopt;
  }
  pos += length;
  return value;
}

/// True when all of `text` is valid UTF-8.
inline bool valid(std::string_view text) noexcept {
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (!next(text, pos)) return false;
  }
  return true;
}

/// Appends the UTF-8 form of a valid code point.
template <typename String>
void append(String& out, char32_t cp) {
  using Char = typename String::value_type;
  if (cp < 0x80) {
    out.push_back(static_cast<Char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<Char>(0xC0U | (cp >> 6U)));
    out.push_back(static_cast<Char>(0x80U | (cp & 0x3FU)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<Char>(0xE0U | (cp >> 12U)));
    out.push_back(static_cast<Char>(0x80U | ((cp >> 6U) & 0x3FU)));
    out.push_back(static_cast<Char>(0x80U | (cp & 0x3FU)));
  } else {
    out.push_back(static_cast<Char>(0xF0U | (cp >> 18U)));
    out.push_back(static_cast<Char>(0x80U | ((cp >> 12U) & 0x3FU)));
    out.push_back(static_cast<Char>(0x80U | ((cp >> 6U) & 0x3FU)));
    out.push_back(static_cast<Char>(0x80U | (cp & 0x3FU)));
  }
}

}  // namespace certificates::utf8
