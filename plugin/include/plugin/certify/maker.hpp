#pragma once
// Where the domain meets the certificates library: a certificate record becomes signed fields,
// renderer content and, at issue, its artefacts (token, signature, PDF).

#include <memory>
#include <string>
#include <string_view>

#include "certificates/content.hpp"
#include "certificates/fonts.hpp"
#include "certificates/signing.hpp"
#include "courses/model.hpp"
#include "courses/services.hpp"

namespace plugin::certify {

/// "<public_base_url>/verify/<serial>?t=<token>", serial and token percent-escaped; trailing
/// slashes of the base URL are dropped. Without a token (a certificate rendered outside the
/// service has none) the URL ends at the serial.
std::string verifyUrl(std::string_view public_base_url, std::string_view serial,
                      std::string_view token);

/// The fields the signature covers, in the certificate's language (Kazakh for "all").
certificates::SignedFields signedFields(const courses::Certificate& certificate);

/// What the renderer needs; `verify_url` and `qr_payload` as made by the maker.
certificates::Content toContent(const courses::Certificate& certificate, std::string verify_url,
                                std::string qr_payload);

/// courses::CertificateMaker over the certificates library: a 128-bit token from libsodium, the
/// Ed25519 signature, and the PDF from a Renderer kept per thread. Thread-safe.
class PdfCertificateMaker final : public courses::CertificateMaker {
 public:
  PdfCertificateMaker(certificates::FontSet fonts, const certificates::SigningKey& key,
                      std::string public_base_url);
  ~PdfCertificateMaker() override;
  /// Certificates::Error(missing_glyph / invalid_input) becomes courses::Error(unprocessable)
  /// naming the field.
  courses::CertificateArtifacts make(const courses::Certificate& certificate) override;
  /// certificates::SigningKey::checkCode under the signing key.
  std::string checkCode(const std::string& serial) const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// courses::GlyphCoverage over the certificate fonts' cmap.
class FontGlyphCoverage final : public courses::GlyphCoverage {
 public:
  explicit FontGlyphCoverage(const certificates::FontSet& fonts) : coverage_(fonts) {}
  std::optional<char32_t> firstMissing(std::string_view text) const override {
    return coverage_.firstMissing(text);
  }

 private:
  certificates::GlyphCoverage coverage_;
};

}  // namespace plugin::certify
