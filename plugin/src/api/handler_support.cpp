#include "handler_support.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/range/iterator_range.hpp>
#include <cctype>
#include <charconv>
#include <limits>

#include "courses/error.hpp"
#include "courses/text.hpp"
#include "plugin/api/cookies.hpp"
#include "plugin/api/errors.hpp"
#include "plugin/api/json_changes.hpp"
#include "plugin/api/json_text.hpp"
#include "plugin/http/conditional.hpp"
#include "plugin/http/problem.hpp"

namespace plugin::api {

namespace {

namespace beast_http = http::beast_http;

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 200;
constexpr std::size_t kMaxIdempotencyKey = 100;

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

using courses::trim;

/// Digits only, no sign, no leading zero, value within [min, max]; nullopt otherwise.
std::optional<long long> parseCanonicalInteger(std::string_view text) {
  if (text.empty() || text.size() > 18 || (text.size() > 1 && text.front() == '0')) {
    return std::nullopt;
  }
  long long value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

const std::string* queryValue(const http::Context& context, std::string_view name) {
  const auto it = context.query.find(std::string(name));
  return it == context.query.end() ? nullptr : &it->second;
}

long long queryInteger(const http::Context& context, std::string_view name, long long min,
                       long long max, long long fallback) {
  const std::string* text = queryValue(context, name);
  if (text == nullptr) return fallback;
  const auto value = parseCanonicalInteger(*text);
  if (!value) {
    throw invalidRequest("query parameter \"" + std::string(name) + "\" must be an integer");
  }
  if (*value < min || *value > max) {
    const std::string message =
        "must be an integer from " + std::to_string(min) + " to " + std::to_string(max);
    throw courses::Error(courses::ErrorCode::invalid_argument,
                         "query parameter \"" + std::string(name) + "\" " + message,
                         {{std::string(name), message}});
  }
  return *value;
}

http::Response baseResponse(const http::Context& context, beast_http::status status) {
  http::Response response{status, context.request.version()};
  response.keep_alive(context.request.keep_alive());
  return response;
}

}  // namespace

std::optional<std::string_view> bearerToken(const http::Request& request) {
  const auto header = request.find(beast_http::field::authorization);
  if (header == request.end()) return std::nullopt;
  const std::string_view value = trim(header->value());
  const std::size_t space = value.find(' ');
  if (space == std::string_view::npos || !equalsIgnoreCase(value.substr(0, space), "bearer")) {
    return std::nullopt;
  }
  const std::string_view token = trim(value.substr(space + 1));
  if (token.empty()) return std::nullopt;
  return token;
}

std::optional<std::string_view> sessionCookieToken(const http::Request& request) {
  for (const auto& header :
       boost::make_iterator_range(request.equal_range(beast_http::field::cookie))) {
    if (const auto value = cookieValue(header.value(), kSessionCookie)) return value;
  }
  return std::nullopt;
}

Authentication authenticate(const Dependencies& deps, const http::Context& context) {
  const http::Request& request = context.request;
  if (request.find(beast_http::field::authorization) != request.end()) {
    const auto token = bearerToken(request);
    if (!token) {
      throw courses::Error(courses::ErrorCode::unauthenticated,
                           "this request needs an Authorization: Bearer token");
    }
    if (auto actor = deps.auth.authenticate(*token)) return Authentication{*actor, std::nullopt};
    throw courses::Error(courses::ErrorCode::unauthenticated,
                         "the bearer token is invalid or has expired");
  }
  const auto cookie = sessionCookieToken(request);
  if (!cookie) {
    throw courses::Error(courses::ErrorCode::unauthenticated,
                         "this request needs an Authorization: Bearer token or a session cookie");
  }
  const auto actor = deps.auth.authenticate(*cookie);
  if (!actor) {
    throw courses::Error(courses::ErrorCode::unauthenticated,
                         "the session is invalid or has expired; sign in again");
  }
  // A cookie goes with every request the browser sends, whoever made the page that sent it:
  // whatever changes something must also show the CSRF token, which only our own pages can read.
  const auto method = request.method();
  const bool safe = method == beast_http::verb::get || method == beast_http::verb::head ||
                    method == beast_http::verb::options;
  if (!safe) {
    const auto header = request.find(kCsrfHeader);
    if (header == request.end() || !deps.auth.csrfMatches(*cookie, header->value())) {
      throw csrfRejected();
    }
  }
  return Authentication{*actor, std::string(*cookie)};
}

courses::Actor requireActor(const Dependencies& deps, const http::Context& context) {
  return authenticate(deps, context).actor;
}

boost::json::value readBody(const http::Context& context, BodyType type) {
  const auto header = context.request.find(beast_http::field::content_type);
  const std::string_view content_type =
      header == context.request.end() ? std::string_view() : std::string_view(header->value());
  const std::string_view media_type = trim(content_type.substr(0, content_type.find(';')));
  const bool accepted = equalsIgnoreCase(media_type, "application/json") ||
                        (type == BodyType::json_or_merge_patch &&
                         equalsIgnoreCase(media_type, "application/merge-patch+json"));
  if (!accepted) {
    throw unsupportedMediaType(type == BodyType::json
                                   ? "the request body must be application/json"
                                   : "the request body must be application/json or "
                                     "application/merge-patch+json");
  }
  return parseJson(context.request.body());
}

boost::json::value readOptionalBody(const http::Context& context) {
  if (context.request.body().empty()) return boost::json::object{};
  return readBody(context);
}

courses::Id pathId(const http::Context& context, std::size_t index) {
  if (index < context.params.size()) {
    if (const auto id = parseCanonicalInteger(context.params[index])) {
      if (*id >= 1 && *id <= kMaxWireId) return *id;
    }
  }
  throw courses::Error(courses::ErrorCode::not_found, "no such resource");
}

std::optional<courses::Id> queryId(const http::Context& context, std::string_view name) {
  if (queryValue(context, name) == nullptr) return std::nullopt;
  return queryInteger(context, name, 1, kMaxWireId, 0);
}

courses::PageRequest pageRequest(const http::Context& context) {
  courses::PageRequest page;
  page.after = queryInteger(context, "after", 0, kMaxWireId, 0);
  page.limit = static_cast<int>(queryInteger(context, "limit", 1, kMaxLimit, kDefaultLimit));
  return page;
}

std::string queryText(const http::Context& context, std::string_view name) {
  const std::string* text = queryValue(context, name);
  if (text == nullptr) return {};
  if (courses::firstInvalidUtf8(*text)) {
    throw invalidRequest("query parameter \"" + std::string(name) + "\" is not valid UTF-8");
  }
  if (text->size() > kMaxJsonStringBytes) {
    throw courses::Error(courses::ErrorCode::invalid_argument,
                         "query parameter \"" + std::string(name) + "\" is too long",
                         {{std::string(name), "must be at most 4096 bytes"}});
  }
  return *text;
}

std::optional<std::string> idempotencyKey(const http::Request& request) {
  const auto header = request.find("Idempotency-Key");
  if (header == request.end()) return std::nullopt;
  const std::string_view key = header->value();
  bool printable = !key.empty() && key.size() <= kMaxIdempotencyKey;
  for (const char c : key) printable = printable && c >= 0x20 && c <= 0x7E;
  if (!printable) {
    throw invalidRequest("header \"Idempotency-Key\" must be 1 to 100 printable ASCII characters");
  }
  return std::string(key);
}

http::Response jsonResponse(const http::Context& context, beast_http::status status,
                            const boost::json::value& body) {
  http::Response response = baseResponse(context, status);
  response.set(beast_http::field::content_type, "application/json");
  response.body() = toJsonText(body);
  response.prepare_payload();
  return response;
}

http::Response createdResponse(const http::Context& context, const std::string& location,
                               const boost::json::value& body) {
  http::Response response = jsonResponse(context, beast_http::status::created, body);
  response.set(beast_http::field::location, location);
  return response;
}

http::Response noContentResponse(const http::Context& context) {
  http::Response response = baseResponse(context, beast_http::status::no_content);
  response.prepare_payload();
  return response;
}

std::optional<int> ifMatchVersion(const http::Context& context) {
  const auto header = context.request.find(beast_http::field::if_match);
  if (header == context.request.end()) {
    throw courses::Error(courses::ErrorCode::version_required,
                         "an edit must say which version it is based on: send the ETag its GET "
                         "answered in If-Match");
  }
  const auto if_match = http::parseIfMatch(header->value());
  if (!if_match) throw invalidRequest("header \"If-Match\" must be \"*\" or a list of entity tags");
  if (if_match->any) return std::nullopt;
  for (const std::string_view tag : if_match->tags) {
    if (const auto version = courses::versionFromTag(tag)) return version;
  }
  throw courses::Error(courses::ErrorCode::stale,
                       "If-Match names no version of this resource: read it again");
}

http::Response versionedResponse(const http::Context& context, beast_http::status status,
                                 const boost::json::value& body, int version) {
  http::Response response = jsonResponse(context, status, body);
  response.set(beast_http::field::etag, courses::versionTag(version));
  return response;
}

http::Response staleResponse(const http::Context& context, const courses::Error& error,
                             const Versioned& current,
                             const std::vector<courses::ChangeEntry>& missed) {
  const ProblemKind kind = problemKind(error.code());
  boost::json::array changes;
  changes.reserve(missed.size());
  for (const auto& entry : missed) changes.push_back(toJson(entry));
  const std::string tag = courses::versionTag(current.version);
  boost::json::object extra{
      {"current", current.body}, {"current_etag", tag}, {"changes", std::move(changes)}};
  http::Response response =
      http::problem(kind.status, kind.slug, kind.title, error.what(), std::move(extra),
                    context.request.version(), context.request.keep_alive());
  response.set(beast_http::field::etag, tag);
  return response;
}

namespace {

void mergeInto(boost::json::object& target, const boost::json::object& patch) {
  for (const auto& member : patch) {
    if (member.value().is_null()) {
      target.erase(member.key());
    } else if (member.value().is_object() && target.contains(member.key()) &&
               target.at(member.key()).is_object()) {
      mergeInto(target.at(member.key()).as_object(), member.value().as_object());
    } else {
      target[member.key()] = member.value();
    }
  }
}

}  // namespace

boost::json::object mergePatch(boost::json::object current, const boost::json::value& patch,
                               std::initializer_list<std::string_view> editable) {
  if (!patch.is_object()) throw invalidRequest("the request body must be a JSON object");
  for (const auto& member : patch.as_object()) {
    bool known = false;
    for (const std::string_view name : editable) known = known || member.key() == name;
    if (!known) {
      throw invalidRequest("field \"" + std::string(member.key()) + "\" cannot be edited here");
    }
  }
  mergeInto(current, patch.as_object());
  return current;
}

http::Response textResponse(const http::Context& context, beast_http::status status,
                            std::string_view content_type, std::string body) {
  http::Response response = baseResponse(context, status);
  response.set(beast_http::field::content_type, content_type);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

}  // namespace plugin::api
