#include "truetype.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <memory>

#include "certificates/error.hpp"

namespace certificates::truetype {
namespace {

std::uint16_t u16(std::string_view data, std::size_t at) {
  if (at + 2 > data.size()) throw Error(Error::Kind::io, "", "truncated font table");
  return static_cast<std::uint16_t>((static_cast<unsigned char>(data[at]) << 8U) |
                                    static_cast<unsigned char>(data[at + 1]));
}
std::int16_t i16(std::string_view data, std::size_t at) {
  return static_cast<std::int16_t>(u16(data, at));
}
std::uint32_t u32(std::string_view data, std::size_t at) {
  return (std::uint32_t{u16(data, at)} << 16U) | u16(data, at + 2);
}

void put16(std::string& out, std::uint32_t value) {
  out.push_back(static_cast<char>((value >> 8U) & 0xFFU));
  out.push_back(static_cast<char>(value & 0xFFU));
}
void put32(std::string& out, std::uint32_t value) {
  put16(out, value >> 16U);
  put16(out, value & 0xFFFFU);
}
void set16(std::string& out, std::size_t at, std::uint32_t value) {
  out[at] = static_cast<char>((value >> 8U) & 0xFFU);
  out[at + 1] = static_cast<char>(value & 0xFFU);
}
void set32(std::string& out, std::size_t at, std::uint32_t value) {
  set16(out, at, value >> 16U);
  set16(out, at + 2, value & 0xFFFFU);
}

std::uint32_t checksum(std::string_view data) {
  std::uint32_t sum = 0;
  std::size_t i = 0;
  for (; i + 4 <= data.size(); i += 4) sum += u32(data, i);
  if (i < data.size()) {
    std::array<unsigned char, 4> tail{};
    for (std::size_t k = 0; i + k < data.size(); ++k)
      tail[k] = static_cast<unsigned char>(data[i + k]);
    sum += (std::uint32_t{tail[0]} << 24U) | (std::uint32_t{tail[1]} << 16U) |
           (std::uint32_t{tail[2]} << 8U) | tail[3];
  }
  return sum;
}

// The Unicode cmap, read with FreeType so that every cmap format the font may use is handled.
std::vector<std::pair<char32_t, std::uint16_t>> readCmap(const std::string& bytes) {
  FT_Library library = nullptr;
  if (FT_Init_FreeType(&library) != 0) {
    throw Error(Error::Kind::internal, "", "FreeType could not be initialised");
  }
  const std::unique_ptr<FT_LibraryRec_, decltype(&FT_Done_FreeType)> library_guard(
      library, &FT_Done_FreeType);
  FT_Face face = nullptr;
  if (FT_New_Memory_Face(library, reinterpret_cast<const FT_Byte*>(bytes.data()),
                         static_cast<FT_Long>(bytes.size()), 0, &face) != 0) {
    throw Error(Error::Kind::io, "", "not a font FreeType can read");
  }
  const std::unique_ptr<FT_FaceRec_, decltype(&FT_Done_Face)> face_guard(face, &FT_Done_Face);
  if (FT_Select_Charmap(face, FT_ENCODING_UNICODE) != 0) {
    throw Error(Error::Kind::io, "", "font has no Unicode cmap");
  }
  std::vector<std::pair<char32_t, std::uint16_t>> cmap;
  FT_UInt glyph = 0;
  FT_ULong code = FT_Get_First_Char(face, &glyph);
  while (glyph != 0) {
    cmap.emplace_back(static_cast<char32_t>(code), static_cast<std::uint16_t>(glyph));
    code = FT_Get_Next_Char(face, code, &glyph);
  }
  std::sort(cmap.begin(), cmap.end());
  return cmap;
}

// Simple glyph without its hinting instructions: PDF viewers rasterise without them, and they
// are a third of DejaVu's glyph bytes.
void appendSimpleGlyph(std::string& out, std::string_view glyph, int contours) {
  const std::size_t end_points = 10;
  const std::size_t instruction_length_at = end_points + 2 * static_cast<std::size_t>(contours);
  const std::uint16_t instruction_length = u16(glyph, instruction_length_at);
  out.append(glyph.substr(0, instruction_length_at));
  put16(out, 0);
  const std::size_t rest = instruction_length_at + 2 + instruction_length;
  if (rest > glyph.size()) throw Error(Error::Kind::io, "", "bad glyph data");
  out.append(glyph.substr(rest));
}

constexpr std::uint16_t kArgsAreWords = 0x0001;
constexpr std::uint16_t kHaveScale = 0x0008;
constexpr std::uint16_t kMoreComponents = 0x0020;
constexpr std::uint16_t kHaveXYScale = 0x0040;
constexpr std::uint16_t kHaveTwoByTwo = 0x0080;
constexpr std::uint16_t kHaveInstructions = 0x0100;

template <typename Visit>
void forEachComponent(std::string_view glyph, Visit&& visit) {
  std::size_t at = 10;
  for (;;) {
    const std::uint16_t flags = u16(glyph, at);
    visit(at, flags, u16(glyph, at + 2));
    at += 4 + ((flags & kArgsAreWords) != 0 ? 4U : 2U);
    if ((flags & kHaveScale) != 0)
      at += 2;
    else if ((flags & kHaveXYScale) != 0)
      at += 4;
    else if ((flags & kHaveTwoByTwo) != 0)
      at += 8;
    if ((flags & kMoreComponents) == 0) {
      return;
    }
  }
}

}  // namespace

Font::Font(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(Error::Kind::io, "", "cannot read font " + path.string());
  in.seekg(0, std::ios::end);
  const std::streamoff file_size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (file_size <= 0) throw Error(Error::Kind::io, "", "cannot read font " + path.string());
  bytes_.resize(static_cast<std::size_t>(file_size));
  if (!in.read(bytes_.data(), file_size)) {
    throw Error(Error::Kind::io, "", "cannot read font " + path.string());
  }
  const std::string_view data = bytes_;
  try {
    if (u32(data, 0) != 0x00010000U) throw Error(Error::Kind::io, "", "not a TrueType font");
    const std::uint16_t count = u16(data, 4);
    for (std::uint16_t i = 0; i < count; ++i) {
      const std::size_t record = 12 + 16 * std::size_t{i};
      const std::uint32_t offset = u32(data, record + 8);
      const std::uint32_t length = u32(data, record + 12);
      if (std::size_t{offset} + length > data.size()) {
        throw Error(Error::Kind::io, "", "font table outside the file");
      }
      tables_.emplace_back(std::string(data.substr(record, 4)), std::make_pair(offset, length));
    }
    const std::string_view head = table("head");
    units_per_em_ = u16(head, 18);
    x_min_ = i16(head, 36);
    y_min_ = i16(head, 38);
    x_max_ = i16(head, 40);
    y_max_ = i16(head, 42);
    const bool long_loca = i16(head, 50) == 1;
    const std::string_view hhea = table("hhea");
    ascender_ = i16(hhea, 4);
    descender_ = i16(hhea, 6);
    const std::uint16_t metrics = u16(hhea, 34);
    const std::uint16_t glyphs = u16(table("maxp"), 4);
    const std::string_view hmtx = table("hmtx");
    advances_.resize(glyphs);
    for (std::uint16_t g = 0; g < glyphs; ++g) {
      advances_[g] = u16(hmtx, 4 * std::size_t{std::min<std::uint16_t>(g, metrics - 1)});
    }
    const std::string_view loca = table("loca");
    loca_.resize(std::size_t{glyphs} + 1);
    for (std::size_t g = 0; g <= glyphs; ++g) {
      loca_[g] = long_loca ? u32(loca, 4 * g) : 2U * u16(loca, 2 * g);
    }
    if (loca_.back() > table("glyf").size()) throw Error(Error::Kind::io, "", "bad loca table");
    const std::string_view os2 = table("OS/2");
    cap_height_ = (u16(os2, 0) >= 2 && os2.size() >= 90) ? i16(os2, 88) : ascender_ * 7 / 10;
    // PostScript name (name id 6), platform 3 (UTF-16BE) or 1 (Mac Roman).
    const std::string_view name = table("name");
    const std::uint16_t names = u16(name, 2);
    const std::uint16_t strings = u16(name, 4);
    for (std::uint16_t i = 0; i < names && postscript_name_.empty(); ++i) {
      const std::size_t record = 6 + 12 * std::size_t{i};
      if (u16(name, record + 6) != 6) continue;
      const std::uint16_t platform = u16(name, record);
      const std::string_view text =
          name.substr(std::size_t{strings} + u16(name, record + 10), u16(name, record + 8));
      if (platform == 3) {
        for (std::size_t k = 1; k < text.size(); k += 2) postscript_name_.push_back(text[k]);
      } else if (platform == 1) {
        postscript_name_ = std::string(text);
      }
    }
    if (postscript_name_.empty()) postscript_name_ = path.stem().string();
  } catch (const Error& error) {
    throw Error(Error::Kind::io, "", path.string() + ": " + error.what());
  }
  cmap_ = readCmap(bytes_);
}

std::string_view Font::table(std::string_view tag) const {
  for (const auto& [name, place] : tables_) {
    if (name == tag) return std::string_view(bytes_).substr(place.first, place.second);
  }
  throw Error(Error::Kind::io, "", "font has no " + std::string(tag) + " table");
}

std::uint16_t Font::glyph(char32_t code_point) const noexcept {
  const auto it = std::lower_bound(cmap_.begin(), cmap_.end(), code_point,
                                   [](const auto& entry, char32_t cp) { return entry.first < cp; });
  return (it != cmap_.end() && it->first == code_point) ? it->second : 0;
}

std::uint16_t Font::advance(std::uint16_t glyph) const noexcept {
  return glyph < advances_.size() ? advances_[glyph] : advances_.front();
}

std::string_view Font::glyphData(std::uint16_t glyph) const {
  if (glyph + std::size_t{1} >= loca_.size()) return {};
  return table("glyf").substr(loca_[glyph], loca_[glyph + 1U] - loca_[glyph]);
}

std::string Font::subset(std::vector<std::uint16_t>& glyphs) const {
  // Composite glyphs (e.g. "Ә" may be built from parts) need their components.
  for (std::size_t i = 0; i < glyphs.size(); ++i) {
    const std::string_view data = glyphData(glyphs[i]);
    if (data.size() < 10 || i16(data, 0) >= 0) continue;
    forEachComponent(data, [&](std::size_t, std::uint16_t, std::uint16_t component) {
      if (std::find(glyphs.begin(), glyphs.end(), component) == glyphs.end()) {
        glyphs.push_back(component);
      }
    });
  }
  const auto newId = [&](std::uint16_t old) {
    return static_cast<std::uint16_t>(std::find(glyphs.begin(), glyphs.end(), old) -
                                      glyphs.begin());
  };

  std::string glyf;
  std::string loca;
  std::string hmtx;
  for (const std::uint16_t old : glyphs) {
    put32(loca, static_cast<std::uint32_t>(glyf.size()));
    put16(hmtx, advance(old));
    const std::string_view data = glyphData(old);
    put16(hmtx, data.size() >= 10 ? u16(data, 2) : 0);  // left side bearing = xMin
    if (data.size() >= 10) {
      const int contours = i16(data, 0);
      if (contours >= 0) {
        appendSimpleGlyph(glyf, data, contours);
      } else {
        const std::size_t start = glyf.size();
        std::size_t end = 10;
        forEachComponent(data, [&](std::size_t at, std::uint16_t flags, std::uint16_t) {
          end = at + 4 + ((flags & kArgsAreWords) != 0 ? 4U : 2U);
          if ((flags & kHaveScale) != 0)
            end += 2;
          else if ((flags & kHaveXYScale) != 0)
            end += 4;
          else if ((flags & kHaveTwoByTwo) != 0)
            end += 8;
        });
        glyf.append(data.substr(0, end));
        forEachComponent(data, [&](std::size_t at, std::uint16_t flags, std::uint16_t component) {
          set16(glyf, start + at,
                static_cast<std::uint16_t>(flags & (0xFFFFU ^ kHaveInstructions)));
          set16(glyf, start + at + 2, newId(component));
        });
      }
    }
    while (glyf.size() % 4 != 0) glyf.push_back('\0');
  }
  put32(loca, static_cast<std::uint32_t>(glyf.size()));

  const auto n = static_cast<std::uint32_t>(glyphs.size());
  std::string head(table("head"));
  set32(head, 8, 0);   // checkSumAdjustment, computed below
  set16(head, 50, 1);  // long loca offsets
  std::string hhea(table("hhea"));
  set16(hhea, 34, n);
  std::string maxp(table("maxp"));
  set16(maxp, 4, n);
  std::string post(table("post").substr(0, 32));
  set32(post, 0, 0x00030000U);  // version 3: no glyph names
  const std::string_view os2 = table("OS/2");

  // Tables in tag order, as the format asks.
  const std::array<std::pair<const char*, std::string_view>, 8> out_tables{{
      {"OS/2", os2},
      {"glyf", glyf},
      {"head", head},
      {"hhea", hhea},
      {"hmtx", hmtx},
      {"loca", loca},
      {"maxp", maxp},
      {"post", post},
  }};
  std::string font;
  put32(font, 0x00010000U);
  put16(font, out_tables.size());
  put16(font, 128);  // searchRange for 8 tables
  put16(font, 3);
  put16(font, out_tables.size() * 16 - 128);
  std::size_t offset = 12 + 16 * out_tables.size();
  std::size_t head_offset = 0;
  for (const auto& [tag, data] : out_tables) {
    font.append(tag, 4);
    put32(font, checksum(data));
    put32(font, static_cast<std::uint32_t>(offset));
    put32(font, static_cast<std::uint32_t>(data.size()));
    if (std::string_view(tag) == "head") head_offset = offset;
    offset += (data.size() + 3) / 4 * 4;
  }
  for (const auto& [tag, data] : out_tables) {
    font.append(data);
    while (font.size() % 4 != 0) font.push_back('\0');
  }
  set32(font, head_offset + 8, 0xB1B0AFBAU - checksum(font));
  return font;
}

}  // namespace certificates::truetype
