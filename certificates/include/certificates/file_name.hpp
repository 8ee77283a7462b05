#pragma once
// Download names for certificates: ASCII only, safe in any file system and in a
// Content-Disposition header.

#include <string>
#include <string_view>

namespace certificates {

/// Latin transliteration of Kazakh/Russian Cyrillic text (ә→a, ғ→g, қ→q, ң→n, ө→o, ұ→u, ү→u,
/// һ→h, і→i, ж→zh, ш→sh, щ→shch, …), reduced to ASCII letters, digits and single underscores
/// between words.
std::string transliterate(std::string_view utf8);

/// "<serial>_<Transliterated_Name>.pdf", at most 120 bytes, e.g.
/// "LSG-EKZ-IP-2019-000123_Aliya_Qasymova.pdf".
std::string certificateFileName(std::string_view serial, std::string_view full_name);

}  // namespace certificates
