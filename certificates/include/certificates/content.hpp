#pragma once
// What a certificate says, as the renderer and the signer need it. Plain values; no database,
// HTTP or PDF types. The plugin fills it from the domain's certificate record.

#include <string>
#include <vector>

namespace certificates {

/// Text in the three languages of the service.
struct Localized {
  std::string kk;
  std::string ru;
  std::string en;
};

/// The language of the page: one language, or all three on one page.
enum class Layout { kk, ru, en, trilingual };

struct Content {
  Layout layout = Layout::trilingual;
  std::string serial;     ///< e.g. "LSG-EKZ-IP-2019-000123"
  std::string full_name;  ///< exactly as printed (valid UTF-8, NFC)
  Localized course_title;
  double hours = 0;
  std::string starts_on;  ///< "YYYY-MM-DD"
  std::string ends_on;    ///< "YYYY-MM-DD"
  std::string place;      ///< free text, as entered for the cohort
  Localized locality;     ///< the cohort's locality
  int sessions_attended = 0;
  int sessions_total = 0;
  std::vector<std::string> trainers;
  std::vector<Localized> organisations;  ///< implementing organisations
  Localized issuer;
  std::string issued_on;   ///< "YYYY-MM-DD"
  std::string verify_url;  ///< printed under the QR code
  std::string qr_payload;  ///< what the QR code holds (see signing.hpp: qrPayload)
};

}  // namespace certificates
