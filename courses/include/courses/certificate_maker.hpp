#pragma once
// What the domain needs of the certificates library: the artefacts of a certificate.

#include "courses/model.hpp"
#include "courses/repositories.hpp"

namespace courses {

/// Makes a certificate's artefacts (verification token, signature, PDF) once its serial is known.
/// Implemented in plugin with the certificates library. Thread-safe. Throws
/// Error(unprocessable) when some text of the certificate cannot be drawn.
class CertificateMaker {
 public:
  virtual ~CertificateMaker() = default;
  virtual CertificateArtifacts make(const Certificate& certificate) = 0;
};

}  // namespace courses
