#pragma once
// Turns a certificate's content into PDF bytes with libharu: A4 landscape, fonts embedded
// (subset), a QR code of the verification payload. No libharu types in this header.

#include <memory>
#include <string>

#include "certificates/content.hpp"
#include "certificates/fonts.hpp"

namespace certificates {

/// Renders certificates. Loads the fonts once and reuses what it can between documents, so one
/// instance renders many certificates fast. Not thread-safe: use one instance per thread.
class Renderer {
 public:
  /// Throws Error(io) when a font cannot be loaded.
  explicit Renderer(const FontSet& fonts);
  ~Renderer();
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  /// The PDF bytes of one certificate. Checks every text against the fonts first: a character
  /// the fonts cannot draw throws Error(missing_glyph) naming the field; invalid UTF-8, a bad date
  /// or an empty name throws Error(invalid_input). Long names and titles shrink, then wrap, and
  /// never leave the page.
  std::string render(const Content& content);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace certificates
