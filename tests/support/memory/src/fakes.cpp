#include "support/fakes.hpp"

#include <chrono>
#include <cstdio>
#include <thread>
#include <utility>

#include "courses/error.hpp"
#include "courses/text.hpp"

namespace support {
namespace {

/// Decodes one code point of valid UTF-8 at `text[i]` and advances `i` past it.
char32_t nextCodePoint(std::string_view text, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t length = 1;
  char32_t value = lead;
  if (lead >= 0xF0) {
    length = 4;
    value = lead & 0x07U;
  } else if (lead >= 0xE0) {
    length = 3;
    value = lead & 0x0FU;
  } else if (lead >= 0xC0) {
    length = 2;
    value = lead & 0x1FU;
  }
  for (std::size_t k = 1; k < length && i + k < text.size(); ++k) {
    value = (value << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3FU);
  }
  i += length;
  return value;
}

}  // namespace

std::optional<char32_t> FakeGlyphCoverage::firstMissing(std::string_view text) const {
  for (std::size_t i = 0; i < text.size();) {
    const char32_t c = nextCodePoint(text, i);
    if (c > 0xFFFF || (c >= 0x4E00 && c <= 0x9FFF)) return c;
  }
  return std::nullopt;
}

std::string FakeCertificateMaker::checkCode(const std::string& serial) const {
  std::string code;
  for (const char c : serial) {
    if (code.size() < courses::kCheckCodeLength &&
        courses::kCrockfordAlphabet.find(c) != std::string_view::npos) {
      code += c;
    }
  }
  code.resize(courses::kCheckCodeLength, '0');
  return code;
}

courses::CertificateArtifacts FakeCertificateMaker::make(const courses::Certificate& certificate) {
  const int call = ++calls_;
  if (!fail_serial_.empty() && certificate.serial == fail_serial_) {
    throw courses::Error(courses::ErrorCode::unprocessable,
                         "the certificate " + certificate.serial + " cannot be drawn");
  }
  courses::CertificateArtifacts artifacts;
  char token[32];
  std::snprintf(token, sizeof token, "tok_%018d", call);
  artifacts.verification_token = token;
  artifacts.signature = "sig-" + certificate.serial;
  artifacts.pdf = "%PDF-1.4 fake certificate " + certificate.serial + " for " +
                  certificate.full_name + "\n%%EOF\n";
  artifacts.etag = "\"etag-" + certificate.serial + "\"";
  return artifacts;
}

void FakeCertificateMaker::failFor(std::string serial) {
  fail_serial_ = std::move(serial);
}

std::string FakePasswordHasher::hash(std::string_view password) const {
  return "fake$" + std::string(password);
}

bool FakePasswordHasher::verify(std::string_view hash, std::string_view password) const {
  ++verifications_;
  if (const int delay = delay_ms_.load(); delay > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
  }
  return !hash.empty() && hash == "fake$" + std::string(password);
}

std::string FakeAccessCodeSecrets::newCode() const {
  std::string digits = std::to_string(next_++);
  return "A" + std::string(courses::kAccessCodeLength - 1 - digits.size(), '0') + digits;
}

std::string FakeAccessCodeSecrets::digest(std::string_view code) const {
  return "digest:" + std::string(code);
}

std::string FakeSealer::seal(std::string_view plaintext) const {
  return "sealed:" + std::string(plaintext.rbegin(), plaintext.rend());
}

std::optional<std::string> FakeSealer::open(std::string_view token) const {
  if (!token.starts_with("sealed:")) return std::nullopt;
  const std::string_view body = token.substr(7);
  return std::string(body.rbegin(), body.rend());
}

}  // namespace support
