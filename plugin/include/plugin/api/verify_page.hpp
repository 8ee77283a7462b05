#pragma once
// The public verification page (GET /verify/{serial}?t=…) in Kazakh, Russian or English: one
// self-contained HTML document, no scripts, no outside requests, inline CSS sized for a phone.

#include <optional>
#include <string>
#include <string_view>

#include "courses/model.hpp"

namespace plugin::api {

enum class PageLanguage { kk, ru, en };

/// The page's language: the `lang` query parameter when it names one, else the first of kk, ru,
/// en by preference in Accept-Language (q-values honoured, "ru-RU" counts as ru), else Kazakh.
PageLanguage pageLanguage(std::optional<std::string_view> lang_parameter,
                          std::string_view accept_language);

/// The first of kk, ru and en by preference in an Accept-Language header (q-values honoured,
/// "ru-RU" counts as ru), or nullopt when it names none of them.
std::optional<PageLanguage> preferredLanguage(std::string_view accept_language);

/// "kk", "ru" or "en".
std::string_view toString(PageLanguage language) noexcept;

/// One of three things by language: a page's texts in Kazakh, Russian and English.
template <class T>
const T& inLanguage(PageLanguage language, const T& kk, const T& ru, const T& en) noexcept {
  switch (language) {
    case PageLanguage::ru:
      return ru;
    case PageLanguage::en:
      return en;
    case PageLanguage::kk:
      break;
  }
  return kk;
}

/// Text with &, <, >, " and ' escaped for HTML content and attribute values.
std::string htmlEscape(std::string_view text);

/// The page for a found certificate: valid or revoked, with the name, course, dates and issuer
/// and nothing more. `token` builds the links to the other languages.
std::string verifyPage(const courses::Certificate& certificate, std::string_view token,
                       PageLanguage language);

/// What was typed on the check page (GET /check?serial=…&code=…).
struct CheckForm {
  std::string serial;
  std::string code;
  bool asked = false;  ///< both were sent: a lookup was made
};

/// The public check page for someone holding a paper certificate: a form for its serial and the
/// check code printed on it, with above it the certificate as on verifyPage when `found`, "not
/// found" when the form was sent and nothing matched, or a line saying what to type. The form
/// keeps what was typed, so a typo is fixed in place.
std::string checkPage(const CheckForm& form, const std::optional<courses::Certificate>& found,
                      PageLanguage language);

/// The page for an unknown serial and a wrong token alike: it echoes nothing of the request.
std::string notFoundPage(PageLanguage language);

/// The page for a client over the rate limit.
std::string tooManyRequestsPage(PageLanguage language);

}  // namespace plugin::api
