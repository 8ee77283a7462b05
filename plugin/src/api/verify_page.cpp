#include "plugin/api/verify_page.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <utility>

#include "certificates/content.hpp"
#include "courses/text.hpp"

namespace plugin::api {

namespace {

/// Every text of the page in one language.
struct Texts {
  std::string_view title;
  std::string_view valid;
  std::string_view revoked;
  std::string_view not_found;
  std::string_view not_found_detail;
  std::string_view too_many;
  std::string_view too_many_detail;
  std::string_view name;
  std::string_view course;
  std::string_view dates;
  std::string_view issuer;
  std::string_view serial;
  std::string_view revoked_on;
  std::string_view reason;
  std::string_view languages;
  // The check page (a paper certificate's serial and check code, typed by hand)
  std::string_view check_intro;
  std::string_view serial_hint;
  std::string_view code;
  std::string_view code_hint;
  std::string_view check;
  std::string_view check_not_found;
};

constexpr Texts kKazakh{
    "Сертификатты тексеру",
    "Сертификат жарамды",
    "Сертификат кері қайтарылған",
    "Сертификат табылмады",
    "Бұл нөмір мен кодқа сәйкес сертификат жоқ. QR кодты қайта сканерлеңіз немесе сілтемені "
    "тексеріңіз.",
    "Сұраулар тым көп",
    "Бірнеше минуттан кейін қайталап көріңіз.",
    "Аты-жөні",
    "Курс",
    "Өткізілген мерзімі",
    "Берген ұйым",
    "Тіркеу нөмірі",
    "Кері қайтарылған күні",
    "Себебі",
    "Тіл",
    "Қағаз сертификаттағы тіркеу нөмірі мен тексеру кодын енгізіңіз.",
    "Мысалы: LSG-EKZ-IP-2019-000123",
    "Тексеру коды",
    "Сертификаттың төменгі жағында, сілтеменің астында басылған 8 таңба",
    "Тексеру",
    "Бұл нөмір мен кодқа сәйкес сертификат жоқ. Екеуін де сертификатта басылғандай қайта теріп "
    "көріңіз.",
};

constexpr Texts kRussian{
    "Проверка сертификата",
    "Сертификат действителен",
    "Сертификат отозван",
    "Сертификат не найден",
    "Сертификата с таким номером и кодом нет. Отсканируйте QR-код ещё раз или проверьте ссылку.",
    "Слишком много запросов",
    "Повторите через несколько минут.",
    "Ф. И. О.",
    "Курс",
    "Сроки обучения",
    "Выдан организацией",
    "Номер",
    "Дата отзыва",
    "Причина",
    "Язык",
    "Введите номер и код проверки с бумажного сертификата.",
    "Например: LSG-EKZ-IP-2019-000123",
    "Код проверки",
    "8 знаков внизу сертификата, под ссылкой",
    "Проверить",
    "Сертификата с таким номером и кодом нет. Введите их ещё раз точно так, как они напечатаны на "
    "сертификате.",
};

constexpr Texts kEnglish{
    "Certificate check",
    "This certificate is valid",
    "This certificate has been revoked",
    "Certificate not found",
    "No certificate matches this serial and code. Scan the QR code again or check the link.",
    "Too many requests",
    "Please try again in a few minutes.",
    "Name",
    "Course",
    "Dates",
    "Issued by",
    "Serial",
    "Revoked on",
    "Reason",
    "Language",
    "Type the serial and the check code printed on the paper certificate.",
    "For example: LSG-EKZ-IP-2019-000123",
    "Check code",
    "8 characters at the bottom of the certificate, under the link",
    "Check",
    "No certificate matches this serial and code. Type both again exactly as printed on the "
    "certificate.",
};

const Texts& textsFor(PageLanguage language) {
  return inLanguage(language, kKazakh, kRussian, kEnglish);
}

std::optional<PageLanguage> languageNamed(std::string_view tag) {
  // "ru-RU", "kk_KZ", "EN" all name their primary language.
  const std::string_view primary = tag.substr(0, std::min(tag.find('-'), tag.find('_')));
  if (primary.size() != 2) return std::nullopt;
  const char a = static_cast<char>(std::tolower(static_cast<unsigned char>(primary[0])));
  const char b = static_cast<char>(std::tolower(static_cast<unsigned char>(primary[1])));
  if (a == 'k' && b == 'k') return PageLanguage::kk;
  if (a == 'r' && b == 'u') return PageLanguage::ru;
  if (a == 'e' && b == 'n') return PageLanguage::en;
  return std::nullopt;
}

using courses::trim;

/// The q-value of one Accept-Language entry's parameters, in thousandths (1000 when absent,
/// 0 when malformed).
int qValue(std::string_view parameters) {
  while (!parameters.empty()) {
    const std::size_t semicolon = parameters.find(';');
    const std::string_view parameter = trim(parameters.substr(0, semicolon));
    if (parameter.size() >= 2 && (parameter[0] == 'q' || parameter[0] == 'Q') &&
        parameter[1] == '=') {
      const std::string_view value = parameter.substr(2);
      // "1", "1.0", "0.8", "0.125": at most three decimals.
      int whole = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), whole);
      if (ec != std::errc{} || whole < 0 || whole > 1) return 0;
      int thousandths = whole * 1000;
      std::string_view rest(end, static_cast<std::size_t>(value.data() + value.size() - end));
      if (!rest.empty()) {
        if (rest.front() != '.' || rest.size() > 4) return 0;
        int scale = 100;
        for (const char c : rest.substr(1)) {
          if (c < '0' || c > '9') return 0;
          thousandths += (c - '0') * scale;
          scale /= 10;
        }
      }
      return std::min(thousandths, 1000);
    }
    if (semicolon == std::string_view::npos) break;
    parameters.remove_prefix(semicolon + 1);
  }
  return 1000;
}

std::string_view pick(const courses::LocalizedText& text, PageLanguage language) {
  const std::array<std::string_view, 3> order =
      language == PageLanguage::ru   ? std::array<std::string_view, 3>{text.ru, text.kk, text.en}
      : language == PageLanguage::en ? std::array<std::string_view, 3>{text.en, text.ru, text.kk}
                                     : std::array<std::string_view, 3>{text.kk, text.ru, text.en};
  for (const auto candidate : order) {
    if (!candidate.empty()) return candidate;
  }
  return {};
}

// Read outdoors on a 360-px phone: large type, black on white, the verdict as a solid block of
// green or red with white bold text (contrast above 7:1), links as large tap targets. Nothing
// is fetched: no fonts, images or other files.
constexpr std::string_view kStyle =
    "html{font-size:112.5%;-webkit-text-size-adjust:100%;text-size-adjust:100%}"
    "body{margin:0;font-family:'DejaVu Sans',Arial,sans-serif;background:#fff;color:#000;"
    "line-height:1.45}"
    "main{max-width:34rem;margin:0 auto;padding:1rem}"
    "h1{font-size:1rem;font-weight:normal;color:#333;margin:0 0 .75rem}"
    ".status{font-size:1.6rem;font-weight:bold;line-height:1.25;padding:1rem;border-radius:.4rem;"
    "margin:0 0 1rem;overflow-wrap:anywhere}"
    ".valid{background:#14632d;color:#fff}.revoked{background:#a4161a;color:#fff}"
    ".unknown{background:#e6e6e6;color:#000}"
    ".reason{font-size:1.2rem;margin:0 0 1rem;padding:.6rem .8rem;border-left:.4rem solid #a4161a;"
    "background:#fff1f1;color:#000;overflow-wrap:anywhere}"
    "dl{margin:0;border:1px solid #999;border-radius:.4rem;padding:.25rem 1rem}"
    "dt{font-size:.9rem;color:#333;margin-top:.6rem}"
    "dd{margin:0 0 .4rem;font-size:1.2rem;font-weight:bold;overflow-wrap:anywhere}"
    "nav{margin-top:1.25rem;display:flex;flex-wrap:wrap;gap:.5rem}"
    // Three equal boxes on one row, even on a 360-px phone.
    "nav a,nav span{flex:1 1 0;text-align:center;min-height:2.75rem;box-sizing:border-box;"
    "padding:.55rem .3rem;border:2px solid #0b3fb3;border-radius:.4rem;color:#0b3fb3;"
    "font-size:1rem;text-decoration:none}"
    "nav span{border-color:#000;color:#000;font-weight:bold}"
    "form{margin:1rem 0;display:grid;gap:.3rem}label{font-weight:bold;margin-top:.5rem}"
    ".hint{font-size:.9rem;color:#333;margin:0}"
    "input{font:inherit;font-size:1.2rem;padding:.5rem;border:2px solid #333;border-radius:.4rem;"
    "text-transform:uppercase}"
    "button{font:inherit;font-weight:bold;margin-top:.75rem;min-height:2.75rem;border:0;"
    "border-radius:.4rem;background:#0b3fb3;color:#fff}";

std::string document(PageLanguage language, std::string_view body) {
  const Texts& texts = textsFor(language);
  std::string page;
  page.reserve(2048 + body.size());
  page += "<!DOCTYPE html>\n<html lang=\"";
  page += toString(language);
  page +=
      "\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"robots\" content=\"noindex\">\n<title>";
  page += texts.title;
  page += "</title>\n<style>";
  page += kStyle;
  page += "</style>\n</head>\n<body>\n<main>\n<h1>";
  page += texts.title;
  page += "</h1>\n";
  page += body;
  page += "</main>\n</body>\n</html>\n";
  return page;
}

void row(std::string& out, std::string_view label, std::string_view value) {
  out += "<dt>";
  out += label;
  out += "</dt><dd>";
  out += htmlEscape(value);
  out += "</dd>\n";
}

/// Percent-encodes a query value (tokens are base64url and serials plain, but nothing is
/// trusted to be).
std::string queryEscape(std::string_view text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4U];
      out += kHex[byte & 0x0FU];
    }
  }
  return out;
}

}  // namespace

PageLanguage pageLanguage(std::optional<std::string_view> lang_parameter,
                          std::string_view accept_language) {
  if (lang_parameter) {
    if (const auto named = languageNamed(*lang_parameter)) return *named;
  }
  return preferredLanguage(accept_language).value_or(PageLanguage::kk);
}

std::optional<PageLanguage> preferredLanguage(std::string_view accept_language) {
  std::optional<PageLanguage> best;
  int best_q = 0;
  // Long headers are cut: nobody's browser sends kilobytes of languages.
  accept_language = accept_language.substr(0, 1024);
  while (!accept_language.empty()) {
    const std::size_t comma = accept_language.find(',');
    const std::string_view entry = trim(accept_language.substr(0, comma));
    const std::size_t semicolon = entry.find(';');
    const std::string_view tag = trim(entry.substr(0, semicolon));
    const int q = semicolon == std::string_view::npos ? 1000 : qValue(entry.substr(semicolon + 1));
    if (const auto named = languageNamed(tag); named && q > best_q) {
      best = named;
      best_q = q;
    }
    if (comma == std::string_view::npos) break;
    accept_language.remove_prefix(comma + 1);
  }
  return best;
}

std::string_view toString(PageLanguage language) noexcept {
  switch (language) {
    case PageLanguage::ru:
      return "ru";
    case PageLanguage::en:
      return "en";
    case PageLanguage::kk:
      break;
  }
  return "kk";
}

std::string htmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

/// Dates on the page read as on the certificate in the same language.
::certificates::Layout layoutOf(PageLanguage language) {
  switch (language) {
    case PageLanguage::kk:
      return ::certificates::Layout::kk;
    case PageLanguage::ru:
      return ::certificates::Layout::ru;
    case PageLanguage::en:
      break;
  }
  return ::certificates::Layout::en;
}

/// The verdict and what the certificate says.
std::string certificateBody(const courses::Certificate& certificate, PageLanguage language) {
  const Texts& texts = textsFor(language);
  const bool valid = certificate.status == courses::CertificateStatus::valid;
  std::string body;
  body += valid ? "<p class=\"status valid\">&#10004; " : "<p class=\"status revoked\">&#10008; ";
  body += valid ? texts.valid : texts.revoked;
  body += "</p>\n";
  if (!valid && certificate.revoked_reason && !certificate.revoked_reason->empty()) {
    // Whoever checks a revoked certificate deserves to know why it no longer counts.
    body += "<p class=\"reason\"><b>";
    body += texts.reason;
    body += ":</b> ";
    body += htmlEscape(*certificate.revoked_reason);
    body += "</p>\n";
  }
  body += "<dl>\n";
  row(body, texts.name, certificate.full_name);
  row(body, texts.course, pick(certificate.course_title, language));
  row(body, texts.dates,
      ::certificates::formatPeriod(certificate.starts_on, certificate.ends_on, layoutOf(language)));
  row(body, texts.issuer, pick(certificate.issuer, language));
  row(body, texts.serial, certificate.serial);
  if (!valid && certificate.revoked_at) {
    row(body, texts.revoked_on,
        ::certificates::formatDate(certificate.revoked_at->substr(0, 10), layoutOf(language)));
  }
  body += "</dl>\n";
  return body;
}

/// Links to the page in the other languages: `base` (escaped) followed by the language's code.
std::string languageLinks(const std::string& base, PageLanguage language) {
  std::string body = "<nav aria-label=\"";
  body += textsFor(language).languages;
  body += "\">";
  for (const auto& [other, label] :
       {std::pair{PageLanguage::kk, "Қазақша"}, std::pair{PageLanguage::ru, "Русский"},
        std::pair{PageLanguage::en, "English"}}) {
    const std::string code(toString(other));
    if (other == language) {
      body += "<span lang=\"" + code + "\" aria-current=\"page\">" + label + "</span>";
      continue;
    }
    body += "<a href=\"" + base + code + "\" hreflang=\"" + code + "\" lang=\"" + code + "\">" +
            label + "</a>";
  }
  body += "</nav>\n";
  return body;
}

void inputRow(std::string& out, std::string_view name, std::string_view label,
              std::string_view hint, std::string_view value) {
  const std::string id(name);
  out += "<label for=\"" + id + "\">";
  out += label;
  out += "</label><p class=\"hint\" id=\"" + id + "-hint\">";
  out += hint;
  out += "</p><input id=\"" + id + "\" name=\"" + id + "\" aria-describedby=\"" + id +
         "-hint\" required autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" "
         "maxlength=\"64\" value=\"" +
         htmlEscape(value) + "\">";
}

}  // namespace

std::string verifyPage(const courses::Certificate& certificate, std::string_view token,
                       PageLanguage language) {
  std::string body = certificateBody(certificate, language);
  // A query-only link stays on /verify/{serial}; the token goes along, the fragment never does.
  body += languageLinks("?t=" + htmlEscape(queryEscape(token)) + "&amp;lang=", language);
  return document(language, body);
}

std::string checkPage(const CheckForm& form, const std::optional<courses::Certificate>& found,
                      PageLanguage language) {
  const Texts& texts = textsFor(language);
  std::string body;
  if (found) {
    body += certificateBody(*found, language);
  } else if (form.asked) {
    body += "<p class=\"status unknown\" role=\"alert\">";
    body += texts.not_found;
    body += "</p>\n<p>";
    body += texts.check_not_found;
    body += "</p>\n";
  } else {
    body += "<p>";
    body += texts.check_intro;
    body += "</p>\n";
  }
  body += "<form method=\"get\" action=\"/check\">";
  body += "<input type=\"hidden\" name=\"lang\" value=\"";
  body += toString(language);
  body += "\">";
  inputRow(body, "serial", texts.serial, texts.serial_hint, form.serial);
  inputRow(body, "code", texts.code, texts.code_hint, form.code);
  body += "<button type=\"submit\">";
  body += texts.check;
  body += "</button></form>\n";
  // The other languages show the empty form: a code is not sent again without being typed.
  body += languageLinks("?lang=", language);
  return document(language, body);
}

std::string notFoundPage(PageLanguage language) {
  const Texts& texts = textsFor(language);
  std::string body = "<p class=\"status unknown\">";
  body += texts.not_found;
  body += "</p>\n<p>";
  body += texts.not_found_detail;
  body += "</p>\n";
  return document(language, body);
}

std::string tooManyRequestsPage(PageLanguage language) {
  const Texts& texts = textsFor(language);
  std::string body = "<p class=\"status unknown\">";
  body += texts.too_many;
  body += "</p>\n<p>";
  body += texts.too_many_detail;
  body += "</p>\n";
  return document(language, body);
}

}  // namespace plugin::api
