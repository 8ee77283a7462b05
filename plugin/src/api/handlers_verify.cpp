#include <optional>
#include <string>
#include <string_view>

#include "courses/error.hpp"
#include "courses/rules.hpp"
#include "courses/text.hpp"
#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/api/json_certificates.hpp"
#include "plugin/api/verify_page.hpp"

namespace plugin::api::handlers {

namespace {

using http::beast_http::field;
using http::beast_http::status;

/// Tokens are 22 base64url characters; anything much longer is refused before any lookup.
constexpr std::size_t kMaxTokenBytes = 64;

/// The page may style itself inline and nothing else: no scripts, no outside requests.
constexpr std::string_view kPagePolicy =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

/// The check page sends its own form back to itself, and nothing else.
constexpr std::string_view kCheckPagePolicy =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

/// Serials are at most 64 characters and codes 8 with a separator; longer text is refused before
/// any lookup.
constexpr std::size_t kMaxTypedBytes = 64;

/// Error(too_many_requests) when the client is over the verification limit.
void requireWithinLimit(RateLimiter& limit, const http::Context& context) {
  if (const auto wait = limit.acquire(context.client_address)) {
    courses::Error error(courses::ErrorCode::too_many_requests,
                         "too many verification requests from this address; try again later");
    error.retry_after_seconds = *wait;
    throw error;
  }
}

std::string queryValue(const http::Context& context, const std::string& name) {
  const auto value = context.query.find(name);
  return value == context.query.end() ? std::string() : value->second;
}

/// The certificate a serial (as typed: spaces around it ignored, letters upper-cased) and check
/// code name, or nullopt.
std::optional<courses::Certificate> checkUp(const Dependencies& deps, std::string serial,
                                            std::string_view code) {
  if (serial.size() > kMaxTypedBytes || code.size() > kMaxTypedBytes) return std::nullopt;
  serial = std::string(courses::trim(serial, courses::kAsciiWhitespace));
  for (char& c : serial) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return deps.certificates.check(serial, courses::trim(code, courses::kAsciiWhitespace));
}

/// The certificate a serial and token name, or nullopt. A malformed serial or token answers
/// exactly like an unknown one.
std::optional<courses::Certificate> lookUp(const Dependencies& deps, const http::Context& context) {
  const std::string& serial = context.params.at(0);
  const auto token = context.query.find("t");
  if (!courses::isValidSerial(serial) || token == context.query.end() || token->second.empty() ||
      token->second.size() > kMaxTokenBytes) {
    return std::nullopt;
  }
  return deps.certificates.verify(serial, token->second);
}

http::Response htmlResponse(const http::Context& context, status code, PageLanguage language,
                            std::string page, std::string_view policy = kPagePolicy) {
  http::Response response =
      textResponse(context, code, "text/html; charset=utf-8", std::move(page));
  response.set("Content-Security-Policy", policy);
  response.set(field::content_language, toString(language));
  response.set(field::vary, "Accept-Language");
  return response;
}

/// The page's language: ?lang=, else Accept-Language, else Kazakh.
PageLanguage languageOf(const http::Context& context) {
  const auto lang = context.query.find("lang");
  return pageLanguage(
      lang == context.query.end() ? std::nullopt : std::optional<std::string_view>(lang->second),
      context.request[field::accept_language]);
}

/// The 429 page with Retry-After when the client is over the verification limit, else nullopt.
std::optional<http::Response> overLimitPage(RateLimiter& limit, const http::Context& context,
                                            PageLanguage language) {
  const auto wait = limit.acquire(context.client_address);
  if (!wait) return std::nullopt;
  http::Response response =
      htmlResponse(context, status::too_many_requests, language, tooManyRequestsPage(language));
  response.set(field::retry_after, std::to_string(*wait));
  return response;
}

}  // namespace

http::Response verifyJson(const Dependencies& deps, RateLimiter& limit, http::Context& context) {
  requireWithinLimit(limit, context);
  const auto certificate = lookUp(deps, context);
  if (!certificate) {
    throw courses::Error(courses::ErrorCode::not_found,
                         "no certificate matches this serial and token");
  }
  return jsonResponse(context, status::ok, verificationToJson(*certificate));
}

http::Response verifyHtml(const Dependencies& deps, RateLimiter& limit, http::Context& context) {
  const PageLanguage language = languageOf(context);
  if (auto refused = overLimitPage(limit, context, language)) return std::move(*refused);
  const auto certificate = lookUp(deps, context);
  if (!certificate)
    return htmlResponse(context, status::not_found, language, notFoundPage(language));
  return htmlResponse(context, status::ok, language,
                      verifyPage(*certificate, context.query.at("t"), language));
}

http::Response checkJson(const Dependencies& deps, RateLimiter& limit, http::Context& context) {
  requireWithinLimit(limit, context);
  const auto certificate = checkUp(deps, context.params.at(0), queryValue(context, "code"));
  if (!certificate) {
    throw courses::Error(courses::ErrorCode::not_found,
                         "no certificate matches this serial and check code");
  }
  return jsonResponse(context, status::ok, verificationToJson(*certificate));
}

http::Response checkHtml(const Dependencies& deps, RateLimiter& limit, http::Context& context) {
  const PageLanguage language = languageOf(context);
  CheckForm form;
  form.serial = queryValue(context, "serial").substr(0, kMaxTypedBytes);
  form.code = queryValue(context, "code").substr(0, kMaxTypedBytes);
  form.asked = context.query.count("serial") > 0 && context.query.count("code") > 0;
  if (!form.asked) {
    return htmlResponse(context, status::ok, language, checkPage(form, std::nullopt, language),
                        kCheckPagePolicy);
  }
  // Only a lookup counts towards the limit: opening the empty form is free.
  if (auto refused = overLimitPage(limit, context, language)) return std::move(*refused);
  const auto certificate = checkUp(deps, queryValue(context, "serial"), form.code);
  return htmlResponse(context, certificate ? status::ok : status::not_found, language,
                      checkPage(form, certificate, language), kCheckPagePolicy);
}

}  // namespace plugin::api::handlers
