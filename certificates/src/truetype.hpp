#pragma once
// A TrueType font held in memory, and per-document subsets of it (private to the library).
//
// libharu 2.3.0 builds a CID font for every document by walking all 65,536 code points of its
// UTF-8 encoder through a linear cmap search, and embeds the unused tables (cmap, hinting, glyph
// names, full hmtx) of the font: about 5 ms and 75 KB per font and document. A certificate
// uses fewer than a hundred glyphs, so the renderer embeds a subset it builds itself: only the
// used glyphs (renumbered, instructions dropped), and the tables a PDF viewer needs.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace certificates::truetype {

/// One parsed font. Immutable after loading.
class Font {
 public:
  /// Reads and parses `path`; throws Error(io) when it is not a usable TrueType font.
  explicit Font(const std::filesystem::path& path);

  /// The glyph for `code_point`, 0 (.notdef) when the font has none.
  std::uint16_t glyph(char32_t code_point) const noexcept;
  /// Advance width of a glyph in font units.
  std::uint16_t advance(std::uint16_t glyph) const noexcept;
  std::uint16_t unitsPerEm() const noexcept { return units_per_em_; }
  /// PostScript name ("DejaVuSans-Bold").
  const std::string& postscriptName() const noexcept { return postscript_name_; }

  // Metrics for the PDF font descriptor, in 1/1000 em.
  int ascent() const noexcept { return scale(ascender_); }
  int descent() const noexcept { return scale(descender_); }
  int capHeight() const noexcept { return scale(cap_height_); }
  int bboxLeft() const noexcept { return scale(x_min_); }
  int bboxBottom() const noexcept { return scale(y_min_); }
  int bboxRight() const noexcept { return scale(x_max_); }
  int bboxTop() const noexcept { return scale(y_max_); }
  int scale(int font_units) const noexcept { return font_units * 1000 / units_per_em_; }

  /// A TrueType font program with `glyphs` (old glyph ids, .notdef first, no duplicates) as
  /// glyphs 0..n-1 in that order, plus any composite components appended after them.
  /// `glyphs` is extended with those components so the caller can map ids.
  std::string subset(std::vector<std::uint16_t>& glyphs) const;

 private:
  std::string_view table(std::string_view tag) const;
  std::string_view glyphData(std::uint16_t glyph) const;

  std::string bytes_;
  std::vector<std::pair<std::string, std::pair<std::uint32_t, std::uint32_t>>> tables_;
  std::vector<std::pair<char32_t, std::uint16_t>> cmap_;  ///< sorted by code point
  std::vector<std::uint16_t> advances_;
  std::vector<std::uint32_t> loca_;  ///< byte offsets into glyf, num_glyphs + 1
  std::uint16_t units_per_em_ = 1000;
  int ascender_ = 0;
  int descender_ = 0;
  int cap_height_ = 0;
  int x_min_ = 0, y_min_ = 0, x_max_ = 0, y_max_ = 0;
  std::string postscript_name_;
};

}  // namespace certificates::truetype
