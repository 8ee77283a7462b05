#include "plugin/certify/maker.hpp"

#include <sodium.h>

#include <array>
#include <cmath>
#include <mutex>
#include <utility>
#include <vector>

#include "certificates/error.hpp"
#include "certificates/renderer.hpp"
#include "courses/error.hpp"
#include "courses/text.hpp"

namespace plugin::certify {

namespace {

constexpr std::size_t kTokenBytes = 16;  // 128 bits
constexpr std::size_t kEtagBytes = 16;

void ensureSodium() {
  // A function-local static runs sodium_init exactly once even with concurrent first callers.
  static const int result = sodium_init();
  if (result < 0) {
    throw courses::Error(courses::ErrorCode::internal, "libsodium could not be initialised");
  }
}

// Serials and tokens are URL-safe by construction; escaping anything else keeps a surprise from
// turning into a different URL.
void appendEscaped(std::string& out, std::string_view text) {
  constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0F]);
    }
  }
}

// The text in `language`; a translation left empty falls back to Kazakh, then Russian, then
// English, so a certificate never signs or prints an empty title.
const std::string& pick(const courses::LocalizedText& text, courses::CertificateLanguage language) {
  const std::string* preferred = &text.kk;
  if (language == courses::CertificateLanguage::ru) preferred = &text.ru;
  if (language == courses::CertificateLanguage::en) preferred = &text.en;
  if (!preferred->empty()) return *preferred;
  for (const std::string* candidate : {&text.kk, &text.ru, &text.en}) {
    if (!candidate->empty()) return *candidate;
  }
  return *preferred;
}

// Hours as the English page prints them: at most two decimals, no trailing zeros ("24", "7.5").
std::string formatHours(double hours) {
  if (!std::isfinite(hours)) return "0";
  const long long hundredths = std::llround(hours * 100.0);
  const long long magnitude = hundredths < 0 ? -hundredths : hundredths;
  std::string text = (hundredths < 0 ? "-" : "") + std::to_string(magnitude / 100);
  const long long fraction = magnitude % 100;
  if (fraction != 0) {
    text += '.';
    text += static_cast<char>('0' + fraction / 10);
    if (fraction % 10 != 0) text += static_cast<char>('0' + fraction % 10);
  }
  return text;
}

certificates::Localized toLocalized(const courses::LocalizedText& text) {
  return {text.kk, text.ru, text.en};
}

certificates::Layout layoutOf(courses::CertificateLanguage language) {
  switch (language) {
    case courses::CertificateLanguage::kk:
      return certificates::Layout::kk;
    case courses::CertificateLanguage::ru:
      return certificates::Layout::ru;
    case courses::CertificateLanguage::en:
      return certificates::Layout::en;
    case courses::CertificateLanguage::all:
      break;
  }
  return certificates::Layout::trilingual;
}

std::string newToken() {
  std::array<unsigned char, kTokenBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  return certificates::base64UrlEncode(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string etagOf(std::string_view pdf) {
  std::array<unsigned char, crypto_generichash_BYTES> hash{};  // BLAKE2b-256
  if (crypto_generichash(hash.data(), hash.size(),
                         reinterpret_cast<const unsigned char*>(pdf.data()), pdf.size(), nullptr,
                         0) != 0) {
    throw courses::Error(courses::ErrorCode::internal, "the PDF could not be hashed");
  }
  std::array<char, 2 * kEtagBytes + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), kEtagBytes);
  return "\"" + std::string(hex.data()) + "\"";
}

}  // namespace

std::string verifyUrl(std::string_view public_base_url, std::string_view serial,
                      std::string_view token) {
  while (public_base_url.ends_with('/')) public_base_url.remove_suffix(1);
  std::string url(public_base_url);
  url += "/verify/";
  appendEscaped(url, serial);
  if (token.empty()) return url;
  url += "?t=";
  appendEscaped(url, token);
  return url;
}

certificates::SignedFields signedFields(const courses::Certificate& certificate) {
  return {.serial = certificate.serial,
          .full_name = certificate.full_name,
          .course_title = pick(certificate.course_title, certificate.language),
          .hours = formatHours(certificate.hours),
          .starts_on = certificate.starts_on,
          .ends_on = certificate.ends_on,
          .issuer = pick(certificate.issuer, certificate.language)};
}

certificates::Content toContent(const courses::Certificate& certificate, std::string verify_url,
                                std::string qr_payload) {
  certificates::Content content;
  content.layout = layoutOf(certificate.language);
  content.serial = certificate.serial;
  content.full_name = certificate.full_name;
  content.course_title = toLocalized(certificate.course_title);
  content.hours = certificate.hours;
  content.starts_on = certificate.starts_on;
  content.ends_on = certificate.ends_on;
  content.place = certificate.place;
  content.locality = toLocalized(certificate.locality);
  content.sessions_attended = certificate.sessions_attended;
  content.sessions_total = certificate.sessions_total;
  content.trainers = certificate.trainers;
  content.organisations.reserve(certificate.organisations.size());
  for (const auto& organisation : certificate.organisations) {
    content.organisations.push_back(toLocalized(organisation));
  }
  content.issuer = toLocalized(certificate.issuer);
  content.issued_on = certificate.issued_at.substr(0, 10);  // "YYYY-MM-DDTHH:MM:SSZ"
  content.verify_url = std::move(verify_url);
  content.qr_payload = std::move(qr_payload);
  return content;
}

struct PdfCertificateMaker::Impl {
  Impl(certificates::FontSet fonts_in, const certificates::SigningKey& key_in,
       std::string public_base_url_in)
      : fonts(std::move(fonts_in)), key(key_in), public_base_url(std::move(public_base_url_in)) {}

  certificates::FontSet fonts;
  certificates::SigningKey key;
  std::string public_base_url;

  // Renderers are not thread-safe and costly to make (they load the fonts), so each one serves
  // one call at a time and goes back to this pool afterwards: as many exist as calls ever ran at
  // once, whichever threads make them.
  std::mutex mutex;
  std::vector<std::unique_ptr<certificates::Renderer>> idle;

  std::unique_ptr<certificates::Renderer> acquire() {
    {
      const std::lock_guard lock(mutex);
      if (!idle.empty()) {
        auto renderer = std::move(idle.back());
        idle.pop_back();
        return renderer;
      }
    }
    return std::make_unique<certificates::Renderer>(fonts);  // outside the lock: loads fonts
  }

  void release(std::unique_ptr<certificates::Renderer> renderer) {
    const std::lock_guard lock(mutex);
    idle.push_back(std::move(renderer));
  }

  std::string render(const certificates::Content& content) {
    auto renderer = acquire();
    std::string pdf;
    try {
      pdf = renderer->render(content);
    } catch (const certificates::Error& error) {
      // A refused input leaves the renderer usable; a library failure may not.
      if (error.kind() == certificates::Error::Kind::invalid_input ||
          error.kind() == certificates::Error::Kind::missing_glyph) {
        release(std::move(renderer));
      }
      throw;
    }
    release(std::move(renderer));
    return pdf;
  }
};

PdfCertificateMaker::PdfCertificateMaker(certificates::FontSet fonts,
                                         const certificates::SigningKey& key,
                                         std::string public_base_url)
    : impl_(std::make_unique<Impl>(std::move(fonts), key, std::move(public_base_url))) {
  ensureSodium();
}

PdfCertificateMaker::~PdfCertificateMaker() = default;

std::string PdfCertificateMaker::checkCode(const std::string& serial) const {
  static_assert(certificates::kCheckCodeLength == courses::kCheckCodeLength);
  return impl_->key.checkCode(serial);
}

courses::CertificateArtifacts PdfCertificateMaker::make(const courses::Certificate& certificate) {
  try {
    courses::CertificateArtifacts artifacts;
    artifacts.verification_token = newToken();
    const std::string payload = certificates::canonicalPayload(signedFields(certificate));
    artifacts.signature = impl_->key.sign(payload);
    std::string url =
        verifyUrl(impl_->public_base_url, certificate.serial, artifacts.verification_token);
    std::string qr = certificates::qrPayload(url, payload, artifacts.signature);
    certificates::Content content = toContent(certificate, std::move(url), std::move(qr));
    content.check_code = courses::formatTypedCode(checkCode(certificate.serial));
    artifacts.pdf = impl_->render(content);
    artifacts.etag = etagOf(artifacts.pdf);
    return artifacts;
  } catch (const certificates::Error& error) {
    if (error.kind() != certificates::Error::Kind::invalid_input &&
        error.kind() != certificates::Error::Kind::missing_glyph) {
      throw;
    }
    // The certificates library's messages name the field and the character and hold nothing
    // the caller did not send, so they can go to the client as they are.
    const std::string field = error.field().empty() ? "certificate" : error.field();
    throw courses::Error(
        courses::ErrorCode::unprocessable,
        "the certificate for " + certificate.serial + " cannot be made: " + error.what(),
        {courses::FieldProblem{field, error.what()}});
  }
}

}  // namespace plugin::certify
