// GET /api/v1/tracks: the tracks the service knows with their names in kk, ru and en, so the web
// app keeps no list of its own. The answer changes only with the program: it carries an ETag and
// a repeated request with If-None-Match gets 304.

#include <cstdint>
#include <cstdio>
#include <string>

#include "courses/totals.hpp"
#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/api/json_catalogue.hpp"
#include "plugin/http/conditional.hpp"

namespace plugin::api::handlers {

namespace {

using http::beast_http::field;
using http::beast_http::status;

/// A strong validator of `body`: its 64-bit FNV-1a hash, the same on every node and restart.
std::string entityTag(std::string_view body) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : body) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return "\"" + std::string(hex) + "\"";
}

}  // namespace

http::Response listTracks(const Dependencies& deps, http::Context& context) {
  requireActor(deps, context);
  static const std::string kBody = toJsonText(tracksToJson(courses::knownTracks()));
  static const std::string kTag = entityTag(kBody);
  const auto if_none_match = context.request[field::if_none_match];
  const bool unchanged = http::noneMatch({if_none_match.data(), if_none_match.size()}, kTag);
  http::Response response =
      unchanged ? textResponse(context, status::not_modified, "application/json", {})
                : textResponse(context, status::ok, "application/json", kBody);
  if (unchanged) {
    response.erase(field::content_type);
    response.erase(field::content_length);
  }
  response.set(field::etag, kTag);
  // Any signed-in account may read it, so only the browser keeps it, and asks again each time.
  response.set(field::cache_control, "private, no-cache");
  return response;
}

}  // namespace plugin::api::handlers
