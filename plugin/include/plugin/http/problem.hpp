#pragma once
// RFC 9457 problem+json responses.

#include <boost/json/object.hpp>
#include <string_view>

#include "plugin/http/router.hpp"

namespace plugin::http {

/// A problem+json response: {"type": "https://qatysu.kz/problems/<slug>", "title", "status",
/// "detail"} plus any `extra` members. Security headers are added by the session, not here.
Response problem(beast_http::status status, std::string_view slug, std::string_view title,
                 std::string_view detail, boost::json::object extra = {}, unsigned version = 11,
                 bool keep_alive = true);

}  // namespace plugin::http
