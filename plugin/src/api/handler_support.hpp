#pragma once
// Private helpers shared by the handlers: authentication, body and path parsing, responses.

#include <boost/json/value.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "courses/change_log.hpp"
#include "courses/error.hpp"
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

/// The version an edit of one entity is based on, from its If-Match header (the ETag its GET
/// answered, courses::versionTag): Error(version_required) without the header, 400 when the value
/// is not a list of entity tags, Error(stale) when it names no version; nullopt for "*" (the edit
/// applies to whatever the entity is now, as a client that means it asks).
std::optional<int> ifMatchVersion(const http::Context& context);

/// A JSON answer for one entity, with its version as the ETag.
http::Response versionedResponse(const http::Context& context, http::beast_http::status status,
                                 const boost::json::value& body, int version);

/// An entity's JSON with its version.
struct Versioned {
  boost::json::value body;
  int version = 0;
};

/// The 412 of an edit refused as stale: the problem, the entity as it is now ("current", its
/// ETag in the header and in "current_etag") and the changes the edit missed ("changes", oldest
/// first), so the client can show them and try again on the current version.
http::Response staleResponse(const http::Context& context, const courses::Error& error,
                             const Versioned& current,
                             const std::vector<courses::ChangeEntry>& missed);

/// Answers an edit of one entity (a PATCH, or an action such as cancel): runs `edit` with the
/// version If-Match names (nullopt for "*"), which answers the entity after the edit as
/// Versioned, and answers it with `status` and its new ETag. When the edit's service refuses it as
/// stale, `current()` reads the entity as it is now (Versioned) and the 412 carries it with what
/// the edit missed (Dependencies::history).
template <typename Edit, typename Current>
http::Response editResponse(const Dependencies& deps, const http::Context& context,
                            courses::Entity entity, courses::Id id, Edit&& edit, Current&& current,
                            http::beast_http::status status = http::beast_http::status::ok) {
  const std::optional<int> version = ifMatchVersion(context);
  try {
    const Versioned after = edit(version);
    return versionedResponse(context, status, after.body, after.version);
  } catch (const courses::Error& error) {
    if (error.code() != courses::ErrorCode::stale || !version) throw;
    return staleResponse(context, error, current(), deps.history.missedBy(entity, id, *version));
  }
}

/// An entity's JSON `current` with a merge patch (RFC 7396) applied to it, for an edit whose
/// service takes the whole edited entity: `patch` must be an object whose members are among
/// `editable` (else 400 naming the first one that is not); objects are merged member by member,
/// anything else replaces the member, null removes it (the entity's reader then says it is
/// required).
boost::json::object mergePatch(boost::json::object current, const boost::json::value& patch,
                               std::initializer_list<std::string_view> editable);

/// A plain response with `content_type` and `body`.
http::Response textResponse(const http::Context& context, http::beast_http::status status,
                            std::string_view content_type, std::string body);

}  // namespace plugin::api
