#include "courses/glyph_coverage.hpp"

#include <cstdio>
#include <string>

#include "courses/error.hpp"
#include "courses/text.hpp"
#include "invalid.hpp"

namespace courses {

namespace {

std::string utf8Encode(char32_t c) {
  std::string out;
  const auto byte = [&](char32_t bits) { out.push_back(static_cast<char>(bits)); };
  if (c < 0x80) {
    byte(c);
  } else if (c < 0x800) {
    byte(0xC0 | (c >> 6));
    byte(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    byte(0xE0 | (c >> 12));
    byte(0x80 | ((c >> 6) & 0x3F));
    byte(0x80 | (c & 0x3F));
  } else {
    byte(0xF0 | (c >> 18));
    byte(0x80 | ((c >> 12) & 0x3F));
    byte(0x80 | ((c >> 6) & 0x3F));
    byte(0x80 | (c & 0x3F));
  }
  return out;
}

/// "U+04D8 'Ә'": the notation people can look up, and the character itself for those who see it.
std::string describeCodePoint(char32_t c) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(c));
  return std::string(hex) + " '" + utf8Encode(c) + "'";
}

}  // namespace

void requireDrawable(const GlyphCoverage& coverage, std::string_view text, std::string_view field) {
  if (firstInvalidUtf8(text)) {
    // The coverage reads code points; invalid bytes are a malformed request, not a missing glyph.
    detail::throwInvalid(std::string(field), "must be valid UTF-8");
  }
  const std::optional<char32_t> missing = coverage.firstMissing(text);
  if (!missing) return;
  std::string problem = describeCodePoint(*missing) + " cannot be printed on a certificate";
  std::string message = std::string(field) + ": " + problem;
  throw Error(ErrorCode::unprocessable, std::move(message),
              {FieldProblem{std::string(field), std::move(problem)}});
}

}  // namespace courses
