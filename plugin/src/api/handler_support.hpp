#pragma once
// Private helpers shared by the handlers: authentication, body and path parsing, responses.

#include <boost/json/value.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "courses/model.hpp"
#include "plugin/api/routes.hpp"
#include "plugin/http/router.hpp"

namespace plugin::api {

/// The bearer token of a request ("Authorization: Bearer <token>"), if it has one.
std::optional<std::string_view> bearerToken(const http::Request& request);

/// Who sent a request, and how they proved it.
struct Authentication {
  courses::Actor actor;
  /// The session token when the request was authenticated by the `qatysu_session` cookie;
  /// empty for a bearer token.
  std::optional<std::string> session_cookie;
};

/// The one place a request is authenticated. With an Authorization header, only its bearer token
/// counts (no CSRF check: browsers never add it on their own). Without one, the
/// `qatysu_session` cookie does, and then every method but GET, HEAD and OPTIONS must carry the
/// session's CSRF token in X-CSRF-Token, else RequestError 403 "csrf". A missing, malformed,
/// unknown or expired token or cookie is Error(unauthenticated).
Authentication authenticate(const Dependencies& deps, const http::Context& context);

/// authenticate(...).actor.
courses::Actor requireActor(const Dependencies& deps, const http::Context& context);

/// The `qatysu_session` cookie of a request (the first of its Cookie headers holding one).
std::optional<std::string_view> sessionCookieToken(const http::Request& request);

/// Which media types a body may have.
enum class BodyType { json, json_or_merge_patch };

/// The request body as JSON: 415 unless the Content-Type says JSON, 400 unless it parses.
boost::json::value readBody(const http::Context& context, BodyType type = BodyType::json);

/// readBody(), except that an empty body (with or without a Content-Type) reads as {}: for
/// requests whose fields are all optional.
boost::json::value readOptionalBody(const http::Context& context);

/// The `index`-th `{id}` of the path as a positive id no larger than 2^53; Error(not_found)
/// otherwise (a malformed id names nothing).
courses::Id pathId(const http::Context& context, std::size_t index = 0);

/// An optional id query parameter (`?parent=12`): 400 when not a number, 422 when out of range.
std::optional<courses::Id> queryId(const http::Context& context, std::string_view name);

/// `after` (>= 0, default 0) and `limit` (1..200, default 50) query parameters.
courses::PageRequest pageRequest(const http::Context& context);

/// An optional text query parameter, valid UTF-8 and at most 4096 bytes.
std::string queryText(const http::Context& context, std::string_view name);

/// The Idempotency-Key header: 1..100 printable ASCII characters, else 400.
std::optional<std::string> idempotencyKey(const http::Request& request);

/// A JSON response with `status`.
http::Response jsonResponse(const http::Context& context, http::beast_http::status status,
                            const boost::json::value& body);

/// 201 Created with a Location header and the created resource as the body.
http::Response createdResponse(const http::Context& context, const std::string& location,
                               const boost::json::value& body);

/// 204 No Content.
http::Response noContentResponse(const http::Context& context);

/// A plain response with `content_type` and `body`.
http::Response textResponse(const http::Context& context, http::beast_http::status status,
                            std::string_view content_type, std::string body);

}  // namespace plugin::api
