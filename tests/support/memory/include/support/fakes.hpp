#pragma once
// Stand-ins for what the certificates library provides in production: which characters the fonts
// draw, and the artefacts of an issued certificate. Deterministic, so tests can compare results.

#include <atomic>
#include <optional>
#include <string>
#include <string_view>

#include "courses/account_service.hpp"
#include "courses/duplicate_candidates.hpp"
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
  /// The serial's first 8 letters and digits (without I, L, O, U), padded with '0'.
  std::string checkCode(const std::string& serial) const override;

  /// Every later call for a certificate with this serial throws Error(unprocessable).
  void failFor(std::string serial);
  /// How many times make() ran.
  int calls() const noexcept { return calls_.load(); }

 private:
  std::atomic<int> calls_{0};
  std::string fail_serial_;
};

/// Stand-in for argon2id: "fake$" + the password. Counts its verifications and can make each take
/// a while, so tests can see how many checks parallel sign-ins make.
class FakePasswordHasher final : public courses::PasswordHasher {
 public:
  std::string hash(std::string_view password) const override;
  bool verify(std::string_view hash, std::string_view password) const override;
  int verifications() const noexcept { return verifications_.load(); }
  /// Every later verification sleeps this long first.
  void slowDown(int milliseconds) noexcept { delay_ms_ = milliseconds; }

 private:
  mutable std::atomic<int> verifications_{0};
  std::atomic<int> delay_ms_{0};
};

/// Access codes "A000000001", "A000000002", … and their digest "digest:" + code.
class FakeAccessCodeSecrets final : public courses::AccessCodeSecrets {
 public:
  std::string newCode() const override;
  std::string digest(std::string_view code) const override;

 private:
  mutable std::atomic<int> next_{1};
};

/// Seals as "sealed:" + the plaintext reversed: opaque enough for tests, and tokens anyone
/// makes differently are refused.
class FakeSealer final : public courses::Sealer {
 public:
  std::string seal(std::string_view plaintext) const override;
  std::optional<std::string> open(std::string_view token) const override;
};

}  // namespace support
