#pragma once
// The OpenAPI 3.1 description of the API (plugin/openapi/openapi.json), embedded at build time so
// the installed binary serves it without the source tree.

#include <string_view>

namespace plugin::api {

/// The OpenAPI document, byte for byte as written in plugin/openapi/openapi.json.
std::string_view openApiDocument() noexcept;

}  // namespace plugin::api
