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

/// The signed-in actor, or Error(unauthenticated) when the token is missing, malformed, unknown
/// or expired.
courses::Actor requireActor(const Dependencies& deps, const http::Context& context);

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
