#pragma once
// What a certificate says, as the renderer and the signer need it. Plain values; no database,
// HTTP or PDF types. The plugin fills it from the domain's certificate record.

#include <string>
#include <string_view>
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
  /// Printed under the link (see signing.hpp: SigningKey::checkCode); none when empty.
  std::string check_code;
  std::string qr_payload;  ///< what the QR code holds (see signing.hpp: qrPayload)
};

/// A date "YYYY-MM-DD" as certificates print it in `language` (kk, ru or en; trilingual reads as
/// en): kk "2019 жылғы 15 наурыз", ru "15 марта 2019 г.", en "15 March 2019". Anything that is not
/// such a date comes back as given.
std::string formatDate(std::string_view date, Layout language);

/// "<start> – <end>" in `language`, as formatDate; one date when they are the same day.
std::string formatPeriod(std::string_view start, std::string_view end, Layout language);

}  // namespace certificates
