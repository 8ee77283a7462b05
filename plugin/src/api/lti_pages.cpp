#include "plugin/api/lti_pages.hpp"

#include <array>

namespace plugin::api {

namespace {

using courses::LaunchRefusal;

struct Texts {
  std::string_view lang;
  std::string_view opening;       // the title while Qatysu opens
  std::string_view wait;          // under it
  std::string_view blocked;       // the browser blocks Qatysu inside the course
  std::string_view new_window;    // the button
  std::string_view refused;       // the title of a refusal
  std::string_view setup;         // the platform's registration is wrong
  std::string_view again;         // the launch expired or was used: open again
  std::string_view clock;         // times do not agree
  std::string_view role;          // neither teacher nor learner
  std::string_view learner;       // a teacher whose Qatysu account is a learner's
  std::string_view tell_admin;    // what to tell the administrator
  std::string_view reference;     // "Reference:"
  std::string_view no_script;     // without JavaScript
  std::string_view next;          // the noscript button
};

constexpr Texts kKazakh{
    "kk",
    "Qatysu ашылып жатыр",
    "Бір сәт күтіңіз…",
    "Браузер Qatysu-ды курс бетінің ішінде ашпады (бөгде сайттардың cookie файлдары бұғатталған). "
    "Оны жаңа терезеде ашыңыз.",
    "Жаңа терезеде ашу",
    "Qatysu ашылмады",
    "Бұл платформа Qatysu-да дұрыс тіркелмеген.",
    "Бұл кіру сілтемесінің мерзімі өтті немесе ол бұрын қолданылған. Qatysu-ды курс бетінен қайта "
    "ашыңыз.",
    "Платформа мен Qatysu сағаттары сәйкес келмейді немесе кіру тым ұзаққа созылды. Qatysu-ды курс "
    "бетінен қайта ашыңыз.",
    "Qatysu курстың оқытушылары мен тыңдаушыларына арналған: осы курстағы рөліңіз кіруге рұқсат "
    "бермейді.",
    "Сіз бұл курстың оқытушысысыз, бірақ Qatysu-дағы есептік жазбаңыз тыңдаушыныкі. Qatysu "
    "әкімшісінен тренер құқығын беруді сұраңыз.",
    "Қайталанса, платформа әкімшісіне осы анықтаманы жіберіңіз:",
    "Анықтама:",
    "JavaScript өшірулі. Жалғастыру үшін батырманы басыңыз.",
    "Жалғастыру"};

constexpr Texts kRussian{
    "ru",
    "Открываем Qatysu",
    "Подождите немного…",
    "Браузер не открыл Qatysu внутри страницы курса (cookie сторонних сайтов заблокированы). "
    "Откройте его в новом окне.",
    "Открыть в новом окне",
    "Qatysu не открылся",
    "Эта платформа неправильно зарегистрирована в Qatysu.",
    "Срок этой ссылки для входа истёк, или она уже использована. Откройте Qatysu со страницы курса "
    "ещё раз.",
    "Часы платформы и Qatysu расходятся, или вход занял слишком много времени. Откройте Qatysu со "
    "страницы курса ещё раз.",
    "Qatysu — для преподавателей и слушателей курса: ваша роль в этом курсе не даёт доступа.",
    "Вы преподаватель этого курса, но ваша учётная запись в Qatysu — слушателя. Попросите "
    "администратора Qatysu дать ей права тренера.",
    "Если повторится, передайте администратору платформы этот номер:",
    "Номер обращения:",
    "JavaScript выключен. Чтобы продолжить, нажмите кнопку.",
    "Продолжить"};

constexpr Texts kEnglish{
    "en",
    "Opening Qatysu",
    "One moment…",
    "Your browser did not open Qatysu inside the course page (it blocks third-party cookies). "
    "Open it in a new window.",
    "Open in a new window",
    "Qatysu could not open",
    "This platform is not registered in Qatysu correctly.",
    "This launch has expired or was used already. Open Qatysu from the course page again.",
    "The platform's clock and Qatysu's do not agree, or the launch took too long. Open Qatysu "
    "from the course page again.",
    "Qatysu is for the course's teachers and learners: your role in this course gives no access.",
    "You teach this course, but your Qatysu account is a learner's. Ask a Qatysu administrator to "
    "give it trainer rights.",
    "If it happens again, send the platform's administrator this reference:",
    "Reference:",
    "JavaScript is off. Press the button to go on.",
    "Continue"};

const Texts& textsFor(PageLanguage language) {
  return inLanguage(language, kKazakh, kRussian, kEnglish);
}

constexpr std::string_view kStyle =
    "body{font:1.05rem/1.45 system-ui,sans-serif;margin:0;padding:1rem;color:#111;background:#fff}"
    "main{max-width:36rem;margin:0 auto}h1{font-size:1.35rem;margin:.2rem 0 .8rem}"
    ".reason{border-left:.35rem solid #a4161a;background:#fff1f1;padding:.5rem .8rem}"
    "button{font:inherit;font-weight:bold;min-height:2.75rem;padding:.4rem 1rem;border:0;"
    "border-radius:.4rem;background:#0b3fb3;color:#fff}code{overflow-wrap:anywhere}";

std::string document(const Texts& texts, std::string_view title, std::string_view body,
                     std::string_view script = {}, std::string_view script_nonce = {}) {
  std::string page;
  page.reserve(2048 + body.size() + script.size());
  page += "<!DOCTYPE html>\n<html lang=\"";
  page += texts.lang;
  page +=
      "\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"robots\" content=\"noindex\">\n<title>";
  page += title;
  page += "</title>\n<style>";
  page += kStyle;
  page += "</style>\n</head>\n<body>\n<main>\n<h1>";
  page += title;
  page += "</h1>\n";
  page += body;
  page += "</main>\n";
  if (!script.empty()) {
    page += "<script nonce=\"";
    page += script_nonce;
    page += "\">";
    page += script;
    page += "</script>\n";
  }
  page += "</body>\n</html>\n";
  return page;
}

std::string attribute(std::string_view name, std::string_view value) {
  return " data-" + std::string(name) + "=\"" + htmlEscape(value) + "\"";
}

std::string hiddenFields(const std::map<std::string, std::string>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    out += "<input type=\"hidden\" name=\"" + htmlEscape(name) + "\" value=\"" +
           htmlEscape(value) + "\">";
  }
  return out;
}

// The login's step: keep the secret in the platform's storage (LTI Client Side postMessages,
// lti.put_data to the frame lti_storage_target names, at the origin of the platform's
// authorization URL), then go to the platform. Without that storage the cookie must have been
// kept, else the new-window form is shown.
constexpr std::string_view kLoginScript = R"JS((function () {
  var d = document.getElementById('step').dataset;
  var done = false;
  var cookieKept = document.cookie.split('; ').some(function (c) { return c.indexOf(d.cookie + '=') === 0; });
  function go() { done = true; location.replace(d.auth); }
  function blocked() {
    done = true;
    document.getElementById('wait').hidden = true;
    document.getElementById('blocked').hidden = false;
  }
  function without() { if (cookieKept) go(); else blocked(); }
  var frame = null;
  try { frame = d.target === '_parent' ? window.parent : window.parent.frames[d.target]; } catch (e) { frame = null; }
  if (!d.target || !frame || frame === window) return without();
  var id = 'put-' + Math.random().toString(36).slice(2);
  window.addEventListener('message', function (event) {
    var m = event.data;
    if (done || event.origin !== d.origin || !m || m.message_id !== id) return;
    if (m.subject === 'lti.put_data.response' && !m.error) go(); else without();
  });
  frame.postMessage({ subject: 'lti.put_data', message_id: id, key: d.key, value: d.secret }, d.origin);
  setTimeout(function () { if (!done) without(); }, 3000);
})();)JS";

// The launch's step: read the secret back (lti.get_data) and post the launch again with it.
constexpr std::string_view kStorageScript = R"JS((function () {
  var d = document.getElementById('step').dataset;
  var form = document.getElementById('launch');
  var done = false;
  function post(secret) { done = true; form.elements.browser.value = secret || ''; form.submit(); }
  var frame = null;
  try { frame = d.target === '_parent' ? window.parent : window.parent.frames[d.target]; } catch (e) { frame = null; }
  if (!frame || frame === window) return post('');
  var id = 'get-' + Math.random().toString(36).slice(2);
  window.addEventListener('message', function (event) {
    var m = event.data;
    if (done || event.origin !== d.origin || !m || m.message_id !== id) return;
    post(m.subject === 'lti.get_data.response' && !m.error ? m.value : '');
  });
  frame.postMessage({ subject: 'lti.get_data', message_id: id, key: d.key }, d.origin);
  setTimeout(function () { if (!done) post(''); }, 3000);
})();)JS";

constexpr std::string_view kHandOffScript = R"JS((function () {
  var d = document.getElementById('step').dataset;
  location.replace(d.to + '#lti_session=' + encodeURIComponent(d.token));
})();)JS";

}  // namespace

PageLanguage launchLanguage(std::string_view locale, std::string_view accept_language) {
  const std::string_view base = locale.substr(0, locale.find_first_of("-_"));
  if (base == "kk") return PageLanguage::kk;
  if (base == "ru") return PageLanguage::ru;
  if (base == "en") return PageLanguage::en;
  return pageLanguage(std::nullopt, accept_language);
}

std::string loginStepPage(const LoginStep& step, std::string_view script_nonce,
                          PageLanguage language) {
  const Texts& t = textsFor(language);
  std::string body = "<div id=\"step\"" + attribute("auth", step.auth_request) +
                     attribute("cookie", step.cookie) + attribute("target", step.storage_target) +
                     attribute("origin", step.storage_origin) +
                     attribute("key", step.storage_key) + attribute("secret", step.secret) + ">";
  body += "<p id=\"wait\" role=\"status\">" + std::string(t.wait) + "</p>";
  body += "<div id=\"blocked\" hidden><p>" + std::string(t.blocked) + "</p>";
  body += "<form method=\"post\" action=\"/lti/login\" target=\"_blank\">" +
          hiddenFields(step.login_form) + "<button type=\"submit\">" +
          std::string(t.new_window) + "</button></form></div>";
  body += "<noscript><p>" + std::string(t.no_script) + "</p><p><a href=\"" +
          htmlEscape(step.auth_request) + "\">" + std::string(t.next) + "</a></p></noscript>";
  body += "</div>\n";
  return document(t, t.opening, body, kLoginScript, script_nonce);
}

std::string storageStepPage(const StorageStep& step, std::string_view script_nonce,
                            PageLanguage language) {
  const Texts& t = textsFor(language);
  std::string body = "<div id=\"step\"" + attribute("target", step.storage_target) +
                     attribute("origin", step.storage_origin) +
                     attribute("key", step.storage_key) + ">";
  body += "<p role=\"status\">" + std::string(t.wait) + "</p>";
  body += "<form id=\"launch\" method=\"post\" action=\"/lti/launch\">" +
          hiddenFields({{"id_token", step.id_token}, {"state", step.state}, {"browser", ""}}) +
          "<noscript><p>" + std::string(t.no_script) + "</p><button type=\"submit\">" +
          std::string(t.next) + "</button></noscript></form></div>\n";
  return document(t, t.opening, body, kStorageScript, script_nonce);
}

std::string sessionHandOffPage(std::string_view token, std::string_view app_path,
                               std::string_view script_nonce, PageLanguage language) {
  const Texts& t = textsFor(language);
  const std::string body = "<div id=\"step\"" + attribute("token", token) +
                           attribute("to", app_path) + "><p role=\"status\">" +
                           std::string(t.wait) + "</p></div>\n";
  return document(t, t.opening, body, kHandOffScript, script_nonce);
}

std::string refusalPage(LaunchRefusal refusal, std::string_view reference,
                        PageLanguage language) {
  const Texts& t = textsFor(language);
  std::string_view reason = t.setup;
  switch (refusal) {
    case LaunchRefusal::bad_state:
    case LaunchRefusal::other_browser:
    case LaunchRefusal::wrong_nonce:
    case LaunchRefusal::replayed_nonce:
    case LaunchRefusal::no_nonce:
      reason = t.again;
      break;
    case LaunchRefusal::expired:
    case LaunchRefusal::issued_in_future:
    case LaunchRefusal::no_times:
      reason = t.clock;
      break;
    case LaunchRefusal::unsupported_role:
      reason = t.role;
      break;
    case LaunchRefusal::learner_account:
      reason = t.learner;
      break;
    default:
      break;
  }
  std::string body = "<p class=\"reason\" role=\"alert\" data-refusal=\"" +
                     std::string(courses::toString(refusal)) + "\">" + std::string(reason) +
                     "</p>";
  body += "<p>" + std::string(t.tell_admin) + "</p><p>" + std::string(t.reference) +
          " <code id=\"reference\">" + htmlEscape(reference) + "</code></p>\n";
  return document(t, t.refused, body);
}

}  // namespace plugin::api
