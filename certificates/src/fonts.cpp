#include "certificates/fonts.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iterator>

#include "certificates/error.hpp"
#include "utf8.hpp"

namespace certificates {
namespace {

constexpr const char* kDebianDejaVuDir = "/usr/share/fonts/truetype/dejavu";

std::filesystem::path defaultFontDir() {
  if (const char* dir = std::getenv("QATYSU_FONT_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  return kDebianDejaVuDir;
}

std::filesystem::path existingFont(const std::filesystem::path& dir, const char* name) {
  std::filesystem::path path = dir / name;
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw Error(Error::Kind::io, "", "certificate font not found: " + path.string());
  }
  return path;
}

// FreeType handles, each released by the object that owns it. Every FT_Error becomes
// Error(io): the only thing that can go wrong here is reading a font file.
class FtLibrary {
 public:
  FtLibrary() {
    if (FT_Init_FreeType(&library_) != 0) {
      throw Error(Error::Kind::internal, "", "FreeType could not be initialised");
    }
  }
  ~FtLibrary() { FT_Done_FreeType(library_); }
  FtLibrary(const FtLibrary&) = delete;
  FtLibrary& operator=(const FtLibrary&) = delete;
  FT_Library get() const noexcept { return library_; }

 private:
  FT_Library library_ = nullptr;
};

class FtFace {
 public:
  FtFace(const FtLibrary& library, const std::filesystem::path& path) {
    if (FT_New_Face(library.get(), path.c_str(), 0, &face_) != 0) {
      throw Error(Error::Kind::io, "", "cannot read font " + path.string());
    }
    // A Unicode cmap is what "can draw this character" means; a font without one covers nothing.
    if (FT_Select_Charmap(face_, FT_ENCODING_UNICODE) != 0) {
      FT_Done_Face(face_);
      throw Error(Error::Kind::io, "", "font has no Unicode cmap: " + path.string());
    }
  }
  ~FtFace() { FT_Done_Face(face_); }
  FtFace(const FtFace&) = delete;
  FtFace& operator=(const FtFace&) = delete;

  /// Every code point the cmap maps to a real glyph, ascending.
  std::vector<char32_t> codePoints() const {
    std::vector<char32_t> result;
    FT_UInt glyph = 0;
    FT_ULong code = FT_Get_First_Char(face_, &glyph);
    while (glyph != 0) {
      result.push_back(static_cast<char32_t>(code));
      code = FT_Get_Next_Char(face_, code, &glyph);
    }
    std::sort(result.begin(), result.end());
    return result;
  }

 private:
  FT_Face face_ = nullptr;
};

bool isLayoutSpace(char32_t cp) noexcept {
  return cp == U' ' || cp == U'\n' || cp == U'\r';
}

}  // namespace

FontSet FontSet::dejavu(const std::filesystem::path& dir) {
  const std::filesystem::path base = dir.empty() ? defaultFontDir() : dir;
  return FontSet{existingFont(base, "DejaVuSans.ttf"), existingFont(base, "DejaVuSans-Bold.ttf")};
}

GlyphCoverage::GlyphCoverage(const FontSet& fonts) {
  const FtLibrary library;
  covered_ = FtFace(library, fonts.regular).codePoints();
  const std::vector<char32_t> bold = FtFace(library, fonts.bold).codePoints();
  std::vector<char32_t> both;
  both.reserve(std::min(covered_.size(), bold.size()));
  std::set_intersection(covered_.begin(), covered_.end(), bold.begin(), bold.end(),
                        std::back_inserter(both));
  covered_ = std::move(both);
}

bool GlyphCoverage::covers(char32_t code_point) const noexcept {
  return std::binary_search(covered_.begin(), covered_.end(), code_point);
}

std::optional<char32_t> GlyphCoverage::firstMissing(std::string_view text) const {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::optional<char32_t> cp = utf8::next(text, pos);
    // Not UTF-8 at all: nothing here can be drawn faithfully, so name the replacement character.
    if (!cp) return U'\uFFFD';
    if (!isLayoutSpace(*cp) && !covers(*cp)) return *cp;
  }
  return std::nullopt;
}

std::string describeCodePoint(char32_t code_point) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(code_point));
  std::string text = hex;
  const bool printable = code_point >= 0x20 && code_point != 0x7F &&
                         !(code_point >= 0x80 && code_point < 0xA0) &&
                         !(code_point >= 0xD800 && code_point <= 0xDFFF) && code_point <= 0x10FFFF;
  if (printable) {
    text += " '";
    utf8::append(text, code_point);
    text += "'";
  }
  return text;
}

}  // namespace certificates
