#pragma once
// QR codes of a certificate's qr_payload, made by libqrencode: the symbol's modules (drawn into
// the PDF by the renderer) and a standalone SVG drawing of them (for a screen).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace certificates {

/// A QR symbol without its quiet zone: `size` × `size` modules, row by row from the top.
struct QrSymbol {
  int size = 0;
  std::vector<bool> modules;  ///< true where the module is dark

  bool dark(int row, int column) const {
    return modules[static_cast<std::size_t>(row) * static_cast<std::size_t>(size) +
                   static_cast<std::size_t>(column)];
  }
};

/// Encodes `payload` as 8-bit data at error-correction level M (15 % of the symbol may be lost),
/// with libqrencode's own choice among the eight masks. Throws Error(invalid_input,
/// "qr_payload") when it cannot be encoded (empty, holds a NUL byte, or too long for any version).
QrSymbol qrSymbol(std::string_view payload);

/// The QR code of `payload` (as qrSymbol()) as a standalone SVG document: black modules on
/// white with a 4-module quiet zone, scalable (a viewBox in modules and no fixed size), crisp
/// edges, the dark modules as one <path> of whole-module runs.
std::string qrSvg(std::string_view payload);

}  // namespace certificates
