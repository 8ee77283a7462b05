#pragma once
// What the certificate renderer and the totals summary share (private to the library): text
// checks against the fonts, measuring and wrapping, content-stream writing, and a one-page
// libharu document with the fonts embedded as subsets made by truetype::Font.
//
// libharu keeps the PDF object model (document, page, dictionaries, cross-reference table,
// saving); the font objects and the deflated page content are added to its document through
// libharu 2.3.0's internal structures (see docs/DECISIONS.md, "Font subsets").

#include <hpdf.h>
#include <zlib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "truetype.hpp"

namespace certificates::pdf {

// A4 landscape, in points.
constexpr double kPageWidth = 841.89;
constexpr double kPageHeight = 595.28;
constexpr double kLeading = 0.14;  ///< extra space between lines, in em

struct Color {
  double r, g, b;
};

/// The two faces of a FontSet; /F1 and /F2 in the page's resources.
enum class Face { regular = 0, bold = 1 };

// ---------------------------------------------------------------------------------------------
// Text

/// The code points of valid UTF-8.
std::u32string decode(std::string_view valid_utf8);
/// Line breaks and runs of spaces become single spaces; no trailing space.
std::u32string normalizeSpaces(std::u32string_view text);
/// UTF-8 of `text`.
std::string encode(std::u32string_view text);

/// Glyphs and widths of the two faces, for layout.
struct Fonts {
  const truetype::Font* faces[2] = {nullptr, nullptr};
  double ascent[2] = {0, 0};
  double descent[2] = {0, 0};  ///< positive
  /// Glyph and width (1/1000 em, as the PDF's W array states it) of every BMP character once
  /// index() ran: a renderer measures the same words many times while it wraps, so lookups
  /// must be cheap. Without the index every lookup asks the font.
  std::vector<std::uint16_t> glyphs[2];
  std::vector<std::int16_t> widths[2];

  void attach(const truetype::Font& regular, const truetype::Font& bold);
  void index();

  std::uint16_t glyph(int face, char32_t cp) const {
    const auto f = static_cast<std::size_t>(face);
    return cp < glyphs[f].size() ? glyphs[f][cp] : faces[f]->glyph(cp);
  }
  int width1000(Face face, char32_t cp) const;
  double width(Face face, double size, std::u32string_view text) const {
    long total = 0;
    for (const char32_t cp : text) total += width1000(face, cp);
    return static_cast<double>(total) * size / 1000.0;
  }
  double lineHeight(Face face, double size) const {
    const int f = static_cast<int>(face);
    return (ascent[f] + descent[f] + kLeading) * size;
  }
  /// The first character of `text` (other than a space or line break) one face has no glyph
  /// for; nullopt when both can draw all of it.
  std::optional<char32_t> firstMissing(std::u32string_view text) const;
};

/// A text to print, as code points with its spaces normalised: Error(invalid_input) naming
/// `field` for invalid UTF-8 or more than `max_bytes`, Error(missing_glyph) when the fonts cannot
/// draw one of its characters.
std::u32string checkedText(const Fonts& fonts, std::string_view value, const std::string& field,
                           std::size_t max_bytes);

/// Greedy word wrap; a word wider than the line is broken between characters.
std::vector<std::u32string> wrap(const Fonts& fonts, Face face, double size,
                                 std::u32string_view text, double width);

// ---------------------------------------------------------------------------------------------
// Content stream

/// One line of text placed on the page.
struct Run {
  Face face;
  double size;
  Color color;
  double x;
  double baseline;
  std::u32string text;
};

/// Two decimals are finer than any printer.
void appendNumber(std::string& out, double value);
/// "r g b rg" (`op` "rg" fills, "RG" strokes).
void appendColor(std::string& out, Color color, const char* op);
void appendHex4(std::string& out, unsigned value);

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
    } else if (cp == U' ' && old_id != 0) {
      // No-break spaces share the space's glyph; copied text should read a plain space.
      unicode[new_ids[old_id]] = cp;
    }
    return new_ids[old_id];
  }
};

/// "BT … ET" drawing `runs` with /F1 and /F2, recording the glyphs they use.
void appendRuns(std::string& out, const Fonts& fonts, GlyphUse (&use)[2],
                const std::vector<Run>& runs);

// ---------------------------------------------------------------------------------------------
// Compression

/// One zlib stream reused for every PDF stream of a document. Streams are deflated here rather
/// than through libharu's HPDF_COMP_ALL (zlib's default level 6 through 4 KB buffers), so that
/// the level can be chosen per stream: page text and the QR code's rectangles repeat a lot and
/// compress fourfold even at level 1; glyph outlines hardly repeat, so Huffman coding alone
/// keeps most of the gain at a fraction of the time.
class Deflater {
 public:
  enum class Kind { text, binary };
  Deflater();
  ~Deflater();
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  std::string compress(std::string_view input, Kind kind);

 private:
  z_stream stream_{};
};

// ---------------------------------------------------------------------------------------------
// libharu

/// One HPDF_Doc, reused for many documents (HPDF_NewDoc keeps libharu's memory manager and
/// error handler). libharu's errors are recorded by the handler and turned into Error(internal)
/// by check(). Throws Error(internal) when the loaded libharu is not 2.3.0.
class Document {
 public:
  Document();
  ~Document();
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  HPDF_Doc get() const noexcept { return doc_; }

  void check(HPDF_STATUS status, const char* call) const;
  template <typename T>
  T* checked(T* object, const char* call) const {
    if (object == nullptr) check(HPDF_GetError(doc_) != HPDF_OK ? HPDF_GetError(doc_) : 1, call);
    check(HPDF_OK, call);
    return object;
  }

  /// Starts a new document with one A4 landscape page whose content is `content` (operators, not
  /// yet deflated) drawing with /F1 (`regular`) and /F2 (`bold`), embeds the subsets `use` names,
  /// sets the document's /Lang when `language` is not empty, and returns the PDF bytes.
  std::string onePage(Deflater& deflater, std::string_view content, const truetype::Font& regular,
                      const truetype::Font& bold, GlyphUse (&use)[2], std::string_view language);
  /// onePage() for several A4 pages (portrait or landscape), one per content stream, all drawing
  /// with the same two embedded subsets.
  std::string pages(Deflater& deflater, const std::vector<std::string>& contents,
                    const truetype::Font& regular, const truetype::Font& bold, GlyphUse (&use)[2],
                    std::string_view language, bool portrait);

 private:
  static void onError(HPDF_STATUS error, HPDF_STATUS detail, void* user) noexcept;
  void start();
  std::string bytes();

  HPDF_Doc doc_;
  HPDF_STATUS error_ = HPDF_OK;
  HPDF_STATUS detail_ = 0;
};

}  // namespace certificates::pdf
