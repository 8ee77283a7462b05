#pragma once
// What the domain needs of the certificates library: the artefacts of a certificate.

#include <cstddef>
#include <string>

#include "courses/model.hpp"
#include "courses/repositories.hpp"

namespace courses {

/// Characters in a certificate's check code ("XXXX-XXXX" as printed).
inline constexpr std::size_t kCheckCodeLength = 8;

/// Makes a certificate's artefacts (verification token, signature, PDF) once its serial is known.
/// Implemented in plugin with the certificates library. Thread-safe. Throws
/// Error(unprocessable) when some text of the certificate cannot be drawn.
class CertificateMaker {
 public:
  virtual ~CertificateMaker() = default;
  virtual CertificateArtifacts make(const Certificate& certificate) = 0;
  /// The kCheckCodeLength canonical characters (kCrockfordAlphabet) printed on the certificate
  /// with this serial: derived from a secret, so they cannot be worked out from the serial.
  virtual std::string checkCode(const std::string& serial) const = 0;
};

}  // namespace courses
