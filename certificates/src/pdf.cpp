#include "pdf.hpp"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_version.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "certificates/error.hpp"
#include "certificates/fonts.hpp"
#include "utf8.hpp"

// Font objects and page content are added to libharu's document through libharu's internal
// headers (HPDF_Doc_Rec, HPDF_PageAttr_Rec, HPDF_Dict). Their layout is only known for the
// version they were read from.
static_assert(std::string_view(HPDF_VERSION_TEXT) == "2.3.0",
              "pdf.cpp relies on libharu 2.3.0 internals; check them against this version");

namespace certificates::pdf {
namespace {

bool isLayoutSpace(char32_t cp) noexcept {
  return cp == U' ' || cp == U'\n' || cp == U'\r';
}

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

// libharu writes a stream's /Filter from its own filter flags and drops any other; a dictionary's
// write_fn is called after its entries, so it can state the filter of bytes deflated elsewhere.
HPDF_STATUS writeFlateFilter(HPDF_Dict, HPDF_Stream out) {
  return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/// Writes already deflated bytes into a stream object and says so in its dictionary.
void writeDeflated(const Document& pdf, HPDF_Dict stream, const std::string& deflated) {
  if (stream->write_fn != nullptr) {
    throw Error(Error::Kind::internal, "", "libharu: stream object already has a writer");
  }
  stream->filter = HPDF_STREAM_FILTER_NONE;
  stream->write_fn = &writeFlateFilter;
  pdf.check(HPDF_Stream_Write(stream->stream, reinterpret_cast<const HPDF_BYTE*>(deflated.data()),
                              static_cast<HPDF_UINT>(deflated.size())),
            "HPDF_Stream_Write");
}

/// Adds a Type0/CIDFontType2 font with the subset of `font` that `use` names, and returns it.
HPDF_Dict addFont(const Document& pdf, Deflater& deflater, const truetype::Font& font,
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

// ---------------------------------------------------------------------------------------------
// Text

std::u32string decode(std::string_view valid_utf8) {
  std::u32string out;
  out.reserve(valid_utf8.size());
  std::size_t pos = 0;
  while (pos < valid_utf8.size()) {
    const auto cp = utf8::next(valid_utf8, pos);
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
    if (isLayoutSpace(cp)) {
      if (!out.empty() && out.back() != U' ') out.push_back(U' ');
    } else {
      out.push_back(cp);
    }
  }
  while (!out.empty() && out.back() == U' ') out.pop_back();
  return out;
}

std::string encode(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char32_t cp : text) utf8::append(out, cp);
  return out;
}

void Fonts::attach(const truetype::Font& regular, const truetype::Font& bold) {
  faces[0] = &regular;
  faces[1] = &bold;
  for (int f = 0; f < 2; ++f) {
    ascent[f] = faces[f]->ascent() / 1000.0;
    descent[f] = -faces[f]->descent() / 1000.0;
  }
}

void Fonts::index() {
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

int Fonts::width1000(Face face, char32_t cp) const {
  const auto f = static_cast<std::size_t>(face);
  if (cp < widths[f].size()) return widths[f][cp];
  const truetype::Font& font = *faces[f];
  return static_cast<int>(std::lround(font.advance(font.glyph(cp)) * 1000.0 / font.unitsPerEm()));
}

std::optional<char32_t> Fonts::firstMissing(std::u32string_view text) const {
  for (const char32_t cp : text) {
    if (isLayoutSpace(cp)) continue;
    if (glyph(0, cp) == 0 || glyph(1, cp) == 0) return cp;
  }
  return std::nullopt;
}

std::u32string checkedText(const Fonts& fonts, std::string_view value, const std::string& field,
                           std::size_t max_bytes) {
  if (value.size() > max_bytes) {
    throw Error(Error::Kind::invalid_input, field,
                field + ": longer than " + std::to_string(max_bytes) + " bytes");
  }
  if (!utf8::valid(value)) {
    throw Error(Error::Kind::invalid_input, field, field + ": not valid UTF-8");
  }
  std::u32string decoded = decode(value);
  if (const auto missing = fonts.firstMissing(decoded)) {
    throw Error(Error::Kind::missing_glyph, field,
                field + ": " + describeCodePoint(*missing) +
                    " cannot be printed with the certificate font, in \"" + std::string(value) +
                    "\"");
  }
  return normalizeSpaces(decoded);
}

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

// ---------------------------------------------------------------------------------------------
// Content stream

// Integer formatting keeps this off the profile (std::to_chars with a precision was a tenth of
// a certificate's render time).
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

void appendRuns(std::string& out, const Fonts& fonts, GlyphUse (&use)[2],
                const std::vector<Run>& runs) {
  out += "BT\n";
  int current_face = -1;
  double current_size = 0;
  for (const Run& run : runs) {
    const int f = static_cast<int>(run.face);
    if (f != current_face || run.size != current_size) {
      out += f == 0 ? "/F1 " : "/F2 ";
      appendNumber(out, run.size);
      out += " Tf\n";
      current_face = f;
      current_size = run.size;
    }
    appendColor(out, run.color, "rg");
    out += "1 0 0 1 ";
    appendNumber(out, run.x);
    out += ' ';
    appendNumber(out, run.baseline);
    out += " Tm\n<";
    for (const char32_t cp : run.text) {
      appendHex4(out, use[f].use(fonts.glyph(f, cp), cp));
    }
    out += "> Tj\n";
  }
  out += "ET\n";
}

// ---------------------------------------------------------------------------------------------
// Compression

Deflater::Deflater() {
  // A certificate's streams are each under 32 KB: a 16 KB hash table (memLevel 6) finds the
  // same matches as the default 128 KB one, and deflateReset clears it for every stream.
  if (deflateInit2(&stream_, 1, Z_DEFLATED, 15, 6, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw Error(Error::Kind::internal, "", "zlib: deflateInit2 failed");
  }
}

Deflater::~Deflater() {
  deflateEnd(&stream_);
}

std::string Deflater::compress(std::string_view input, Kind kind) {
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

// ---------------------------------------------------------------------------------------------
// libharu

Document::Document() {
  if (std::string_view(HPDF_GetVersion()) != HPDF_VERSION_TEXT) {
    throw Error(
        Error::Kind::internal, "",
        std::string("libharu ") + HPDF_GetVersion() + " is loaded, built for " + HPDF_VERSION_TEXT);
  }
  doc_ = HPDF_New(&Document::onError, this);
  if (doc_ == nullptr) throw Error(Error::Kind::internal, "", "libharu: cannot create a document");
}

Document::~Document() {
  HPDF_Free(doc_);
}

void Document::start() {
  error_ = HPDF_OK;
  HPDF_ResetError(doc_);
  check(HPDF_NewDoc(doc_), "HPDF_NewDoc");
  // Streams arrive deflated already (see Deflater).
  check(HPDF_SetCompressionMode(doc_, HPDF_COMP_NONE), "HPDF_SetCompressionMode");
}

void Document::check(HPDF_STATUS status, const char* call) const {
  if (status == HPDF_OK && error_ == HPDF_OK) return;
  const HPDF_STATUS code = error_ != HPDF_OK ? error_ : HPDF_GetError(doc_);
  char message[160];
  std::snprintf(message, sizeof message, "libharu: %s failed (error 0x%04X, detail %u)", call,
                static_cast<unsigned>(code), static_cast<unsigned>(detail_));
  throw Error(Error::Kind::internal, "", message);
}

std::string Document::onePage(Deflater& deflater, std::string_view content,
                              const truetype::Font& regular, const truetype::Font& bold,
                              GlyphUse (&use)[2], std::string_view language) {
  return pages(deflater, {std::string(content)}, regular, bold, use, language, false);
}

std::string Document::pages(Deflater& deflater, const std::vector<std::string>& contents,
                            const truetype::Font& regular, const truetype::Font& bold,
                            GlyphUse (&use)[2], std::string_view language, bool portrait) {
  start();
  // The fonts are indirect objects made once: every page's resources refer to the same two.
  HPDF_Dict fonts[2] = {nullptr, nullptr};
  for (const std::string& content : contents) {
    HPDF_Page page = checked(HPDF_AddPage(doc_), "HPDF_AddPage");
    check(HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4,
                            portrait ? HPDF_PAGE_PORTRAIT : HPDF_PAGE_LANDSCAPE),
          "HPDF_Page_SetSize");
    // The page's content is written whole, deflated, into the stream libharu made for it.
    auto* attr = static_cast<HPDF_PageAttr>(page->attr);
    checked(attr->contents, "page contents");
    writeDeflated(*this, attr->contents, deflater.compress(content, Deflater::Kind::text));
    auto* resources =
        static_cast<HPDF_Dict>(HPDF_Page_GetInheritableItem(page, "Resources", HPDF_OCLASS_DICT));
    checked(resources, "HPDF_Page_GetInheritableItem");
    if (fonts[0] == nullptr) {
      fonts[0] = addFont(*this, deflater, regular, use[0]);
      fonts[1] = addFont(*this, deflater, bold, use[1]);
    }
    HPDF_Dict font_resources = checked(HPDF_Dict_New(doc_->mmgr), "HPDF_Dict_New");
    check(HPDF_Dict_Add(resources, "Font", font_resources), "HPDF_Dict_Add");
    check(HPDF_Dict_Add(font_resources, "F1", fonts[0]), "HPDF_Dict_Add");
    check(HPDF_Dict_Add(font_resources, "F2", fonts[1]), "HPDF_Dict_Add");
  }
  if (!language.empty()) {
    // libharu 2.3.0 has no setter for the catalog's /Lang (the document's natural language,
    // which screen readers and text extraction use).
    const std::string lang(language);
    check(HPDF_Dict_Add(
              doc_->catalog, "Lang",
              checked(HPDF_String_New(doc_->mmgr, lang.c_str(), nullptr), "HPDF_String_New")),
          "HPDF_Dict_Add");
  }
  check(HPDF_SetInfoAttr(doc_, HPDF_INFO_CREATOR, "Qatysu"), "HPDF_SetInfoAttr");
  return bytes();
}

std::string Document::bytes() {
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

void Document::onError(HPDF_STATUS error, HPDF_STATUS detail, void* user) noexcept {
  auto* self = static_cast<Document*>(user);
  if (self->error_ == HPDF_OK) {
    self->error_ = error;
    self->detail_ = detail;
  }
}

}  // namespace certificates::pdf
