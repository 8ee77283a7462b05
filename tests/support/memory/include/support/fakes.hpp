#pragma once
// Stand-ins for what the certificates library provides in production: which characters the fonts
// draw, and the artefacts of an issued certificate. Deterministic, so tests can compare results.

#include <atomic>
#include <optional>
#include <string>
#include <string_view>

#include "courses/repositories.hpp"
#include "courses/services.hpp"

namespace support {

/// Draws every character except those the real fonts lack in the cases tests care about: code
/// points above U+FFFF (emoji and other supplementary-plane characters) and the CJK unified
/// ideographs U+4E00..U+9FFF.
class FakeGlyphCoverage final : public courses::GlyphCoverage {
 public:
  std::optional<char32_t> firstMissing(std::string_view text) const override;
};

/// Makes stand-in artefacts for unit tests: a 22-character token, a signature and PDF bytes naming the serial.
/// Counts its calls; can be told to fail for one serial, as a renderer refusing a text would.
class FakeCertificateMaker final : public courses::CertificateMaker {
 public:
  courses::CertificateArtifacts make(const courses::Certificate& certificate) override;

  /// Every later call for a certificate with this serial throws Error(unprocessable).
  void failFor(std::string serial);
  /// How many times make() ran.
  int calls() const noexcept { return calls_.load(); }

 private:
  std::atomic<int> calls_{0};
  std::string fail_serial_;
};

}  // namespace support
