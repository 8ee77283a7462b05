#pragma once
// Which characters a certificate can print: every name is checked against the certificate fonts
// before it is stored.

#include <optional>
#include <string_view>

namespace courses {

/// Which characters the certificate fonts can draw. Implemented over the fonts' cmap by the
/// certificates library; a name with a character no font draws is refused before it is stored.
class GlyphCoverage {
 public:
  virtual ~GlyphCoverage() = default;
  /// The first code point of valid UTF-8 `text` the fonts cannot draw, or nullopt.
  virtual std::optional<char32_t> firstMissing(std::string_view text) const = 0;
};

/// Throws Error(unprocessable) naming `field` and the character (as "U+04D8 'Ә'") when
/// `coverage` cannot draw some character of `text`.
void requireDrawable(const GlyphCoverage& coverage, std::string_view text, std::string_view field);

}  // namespace courses
