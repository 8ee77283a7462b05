#include "certificates/qr.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "certificates/error.hpp"
#include "support/tools.hpp"

namespace certificates {
namespace {

namespace fs = std::filesystem;

/// What a certificate's QR code holds: the verify URL, then the signed payload in the fragment.
std::string samplePayload() {
  return "https://qatysu.example.kz/verify/LSG-EKZ-IP-2019-000123?t=" + std::string(43, 'T') +
         "#p=" + std::string(300, 'p') + "&s=" + std::string(86, 's');
}

/// A picture of an SVG made of axis-aligned rectangles only, as the test reads it: white, with
/// each closed subpath of the one <path> ("M x y", then relative "h"/"v" steps, then "z")
/// filled black. Anything else in the path data fails the test.
struct Picture {
  int side = 0;
  std::vector<bool> dark;  ///< side × side modules, row by row
};

Picture draw(const std::string& svg) {
  Picture picture;
  std::smatch m;
  const std::regex view_box(R"re(viewBox="0 0 ([0-9]+) ([0-9]+)")re");
  if (!std::regex_search(svg, m, view_box) || m[1] != m[2]) {
    ADD_FAILURE() << "no square viewBox";
    return picture;
  }
  picture.side = std::stoi(m[1]);
  picture.dark.assign(static_cast<std::size_t>(picture.side * picture.side), false);
  // Found by hand: libstdc++'s recursive regex overflows the stack on a path this long.
  const std::string opening = "<path fill=\"#000\" d=\"";
  const std::size_t begin = svg.find(opening);
  const std::size_t end = svg.find("\"/>", begin);
  if (begin == std::string::npos || end == std::string::npos) {
    ADD_FAILURE() << "no path";
    return picture;
  }
  const std::string d = svg.substr(begin + opening.size(), end - begin - opening.size());
  std::size_t i = 0;
  const auto number = [&] {
    std::size_t used = 0;
    const int value = std::stoi(d.substr(i), &used);
    i += used;
    return value;
  };
  int x = 0, y = 0, min_x = 0, min_y = 0, max_x = 0, max_y = 0, corners = 0;
  while (i < d.size()) {
    const char command = d[i++];
    if (command == 'M') {
      x = number();
      while (d[i] == ' ') ++i;
      y = number();
      min_x = max_x = x;
      min_y = max_y = y;
      corners = 1;
    } else if (command == 'h' || command == 'v') {
      (command == 'h' ? x : y) += number();
      min_x = std::min(min_x, x), max_x = std::max(max_x, x);
      min_y = std::min(min_y, y), max_y = std::max(max_y, y);
      ++corners;
    } else if (command == 'z') {
      EXPECT_EQ(corners, 4) << "a subpath that is not a rectangle";
      for (int row = min_y; row < max_y; ++row) {
        for (int column = min_x; column < max_x; ++column) {
          EXPECT_TRUE(row >= 0 && row < picture.side && column >= 0 && column < picture.side);
          picture.dark[static_cast<std::size_t>(row * picture.side + column)] = true;
        }
      }
    } else {
      ADD_FAILURE() << "unexpected path command '" << command << "'";
      return picture;
    }
  }
  return picture;
}

/// Writes the picture as a binary PGM at `scale` pixels per module.
void writePgm(const Picture& picture, int scale, const fs::path& file) {
  const int pixels = picture.side * scale;
  std::ofstream out(file, std::ios::binary);
  out << "P5\n" << pixels << ' ' << pixels << "\n255\n";
  for (int y = 0; y < pixels; ++y) {
    for (int x = 0; x < pixels; ++x) {
      const bool dark =
          picture.dark[static_cast<std::size_t>((y / scale) * picture.side + x / scale)];
      out.put(dark ? static_cast<char>(0) : static_cast<char>(255));
    }
  }
}

TEST(QrTest, SvgIsScalableCrispAndOnePath) {
  const std::string svg = qrSvg(samplePayload());
  const QrSymbol symbol = qrSymbol(samplePayload());
  const std::string side = std::to_string(symbol.size + 8);
  EXPECT_EQ(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 0), 0U) << svg;
  const std::string root = svg.substr(0, svg.find('>', svg.find("<svg")) + 1);
  EXPECT_NE(root.find("xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos) << root;
  EXPECT_NE(root.find("viewBox=\"0 0 " + side + " " + side + "\""), std::string::npos) << root;
  EXPECT_NE(root.find("shape-rendering=\"crispEdges\""), std::string::npos) << root;
  // No fixed size: the page that shows it decides how large it is.
  EXPECT_EQ(root.find(" width="), std::string::npos) << root;
  EXPECT_EQ(root.find(" height="), std::string::npos) << root;
  EXPECT_NE(svg.find("<rect width=\"" + side + "\" height=\"" + side + "\" fill=\"#fff\"/>"),
            std::string::npos);
  std::size_t paths = 0;
  for (std::size_t at = svg.find("<path"); at != std::string::npos;
       at = svg.find("<path", at + 1)) {
    ++paths;
  }
  EXPECT_EQ(paths, 1U);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
}

TEST(QrTest, SvgDrawsTheSymbolInsideAFourModuleQuietZone) {
  const QrSymbol symbol = qrSymbol(samplePayload());
  // ~430 bytes at level M: version 16 or so, never a tiny symbol.
  EXPECT_GE(symbol.size, 77);
  EXPECT_EQ((symbol.size - 17) % 4, 0) << "a QR symbol is 17 + 4 × version modules wide";
  const Picture picture = draw(qrSvg(samplePayload()));
  ASSERT_EQ(picture.side, symbol.size + 8);
  int dark = 0;
  for (int row = 0; row < picture.side; ++row) {
    for (int column = 0; column < picture.side; ++column) {
      const bool inside =
          row >= 4 && row < 4 + symbol.size && column >= 4 && column < 4 + symbol.size;
      const bool expected = inside && symbol.dark(row - 4, column - 4);
      dark += expected ? 1 : 0;
      ASSERT_EQ(picture.dark[static_cast<std::size_t>(row * picture.side + column)], expected)
          << "module " << row << "," << column;
    }
  }
  // The finder pattern's corner: the top-left module of the symbol is dark.
  EXPECT_TRUE(symbol.dark(0, 0));
  EXPECT_GT(dark, symbol.size * symbol.size / 4);
}

// What a phone does: a QR decoder (zbarimg, from zbar-tools) reads the drawn SVG back.
TEST(QrTest, ADecoderReadsThePayloadBackFromTheSvg) {
  const fs::path dir = fs::temp_directory_path() / ("qatysu-qr-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (const std::string& payload :
       {samplePayload(), std::string("https://qatysu.example.kz/verify/X-1?t=abc")}) {
    const fs::path image = dir / "qr.pgm";
    writePgm(draw(qrSvg(payload)), 4, image);
    const support::Output decoded =
        support::run("zbarimg -q --raw -Sdisable -Sqrcode.enable " + image.string());
    ASSERT_EQ(decoded.status, 0) << payload;
    std::string text = decoded.text;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    EXPECT_EQ(text, payload);
  }
  fs::remove_all(dir);
}

TEST(QrTest, RefusesWhatCannotBeEncoded) {
  for (const std::string& payload :
       {std::string{}, std::string("a\0b", 3), std::string(3000, 'x')}) {
    try {
      (void)qrSvg(payload);
      ADD_FAILURE() << "no error for a payload of " << payload.size() << " bytes";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), Error::Kind::invalid_input);
      EXPECT_EQ(e.field(), "qr_payload");
    }
  }
}

}  // namespace
}  // namespace certificates
