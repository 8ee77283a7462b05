#include "certificates/qr.hpp"

#include <qrencode.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "certificates/error.hpp"

namespace certificates {

namespace {

struct QrDeleter {
  void operator()(QRcode* code) const noexcept { QRcode_free(code); }
};
using QrCode = std::unique_ptr<QRcode, QrDeleter>;

/// The quiet zone the QR specification asks for around the symbol, in modules.
constexpr int kQuietZone = 4;

}  // namespace

QrSymbol qrSymbol(std::string_view payload) {
  // libqrencode reads a C string: a NUL inside would silently cut the payload short.
  if (payload.empty() || payload.find('\0') != std::string_view::npos) {
    throw Error(Error::Kind::invalid_input, "qr_payload",
                "qr_payload: must be non-empty text without NUL bytes");
  }
  const std::string text(payload);
  errno = 0;
  // Level M with libqrencode's mask search: a printed certificate gets folded and smudged, and
  // the mask search is what keeps the symbol free of patterns that confuse phone cameras. A
  // signed payload of ~420 bytes is version 16.
  QrCode code(QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (!code) {
    throw Error(Error::Kind::invalid_input, "qr_payload",
                std::string("qr_payload: cannot be encoded as a QR code: ") + std::strerror(errno));
  }
  QrSymbol symbol;
  symbol.size = code->width;
  const std::size_t count =
      static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width);
  symbol.modules.resize(count);
  // Bit 0 of each byte is the module's colour; the other bits say what the module is part of.
  for (std::size_t i = 0; i < count; ++i) symbol.modules[i] = (code->data[i] & 1U) != 0;
  return symbol;
}

std::string qrSvg(std::string_view payload) {
  const QrSymbol symbol = qrSymbol(payload);
  const std::string side = std::to_string(symbol.size + 2 * kQuietZone);
  std::string out;
  out.reserve(static_cast<std::size_t>(symbol.size * symbol.size) * 4 + 400);
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + side + " " + side +
         "\" shape-rendering=\"crispEdges\">\n";
  out += "<rect width=\"" + side + "\" height=\"" + side + "\" fill=\"#fff\"/>\n";
  out += "<path fill=\"#000\" d=\"";
  // One subpath per horizontal run of dark modules: "M<x> <y>h<run>v1h-<run>z".
  for (int row = 0; row < symbol.size; ++row) {
    int column = 0;
    while (column < symbol.size) {
      if (!symbol.dark(row, column)) {
        ++column;
        continue;
      }
      const int start = column;
      while (column < symbol.size && symbol.dark(row, column)) ++column;
      const std::string run = std::to_string(column - start);
      out += 'M';
      out += std::to_string(start + kQuietZone);
      out += ' ';
      out += std::to_string(row + kQuietZone);
      out += 'h';
      out += run;
      out += "v1h-";
      out += run;
      out += 'z';
    }
  }
  out += "\"/>\n</svg>\n";
  return out;
}

}  // namespace certificates
