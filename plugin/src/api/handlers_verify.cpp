#include <optional>
#include <string>
#include <string_view>

#include "courses/error.hpp"
#include "courses/rules.hpp"
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
                            std::string page) {
  http::Response response =
      textResponse(context, code, "text/html; charset=utf-8", std::move(page));
  response.set("Content-Security-Policy", kPagePolicy);
  response.set(field::content_language, toString(language));
  response.set(field::vary, "Accept-Language");
  return response;
}

}  // namespace

http::Response verifyJson(const Dependencies& deps, RateLimiter& limit, http::Context& context) {
  if (const auto wait = limit.acquire(context.client_address)) {
    courses::Error error(courses::ErrorCode::too_many_requests,
                         "too many verification requests from this address; try again later");
    error.retry_after_seconds = *wait;
    throw error;
  }
  const auto certificate = lookUp(deps, context);
  if (!certificate) {
    throw courses::Error(courses::ErrorCode::not_found,
                         "no certificate matches this serial and token");
  }
  return jsonResponse(context, status::ok, verificationToJson(*certificate));
}

http::Response verifyHtml(const Dependencies& deps, RateLimiter& limit, http::Context& context) {
  const auto lang = context.query.find("lang");
  const PageLanguage language = pageLanguage(
      lang == context.query.end() ? std::nullopt : std::optional<std::string_view>(lang->second),
      context.request[field::accept_language]);
  if (const auto wait = limit.acquire(context.client_address)) {
    http::Response response =
        htmlResponse(context, status::too_many_requests, language, tooManyRequestsPage(language));
    response.set(field::retry_after, std::to_string(*wait));
    return response;
  }
  const auto certificate = lookUp(deps, context);
  if (!certificate)
    return htmlResponse(context, status::not_found, language, notFoundPage(language));
  return htmlResponse(context, status::ok, language,
                      verifyPage(*certificate, context.query.at("t"), language));
}

}  // namespace plugin::api::handlers
