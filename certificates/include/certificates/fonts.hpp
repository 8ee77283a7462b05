#pragma once
// The certificate fonts (DejaVu from fonts-dejavu-core) and which characters they can draw.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certificates {

/// Paths of the TrueType fonts a certificate uses.
struct FontSet {
  std::filesystem::path regular;
  std::filesystem::path bold;
  /// DejaVu Sans and Sans Bold from `dir` (default: Debian's fonts-dejavu-core location, or the
  /// QATYSU_FONT_DIR environment variable when set). Throws Error(io) when a file is missing.
  static FontSet dejavu(const std::filesystem::path& dir = {});
};

/// The code points every font of a set can draw, read once from the fonts' cmap tables.
/// Immutable after construction, so one instance is shared by all threads.
class GlyphCoverage {
 public:
  /// Throws Error(io) when a font cannot be read.
  explicit GlyphCoverage(const FontSet& fonts);
  /// True when every font of the set has a glyph for `code_point`.
  bool covers(char32_t code_point) const noexcept;
  /// The first code point of valid UTF-8 `text` some font cannot draw; nullopt when all can.
  /// Spaces and line breaks count as drawable.
  std::optional<char32_t> firstMissing(std::string_view text) const;

 private:
  std::vector<char32_t> covered_;  ///< sorted
};

/// "U+04D8 'Ә'": how error messages name a character.
std::string describeCodePoint(char32_t code_point);

}  // namespace certificates
