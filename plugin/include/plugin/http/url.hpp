#pragma once
// Percent-decoding of request targets (RFC 3986) for the router, the session and handlers that
// read a raw query string.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace plugin::http {

/// Decodes `%XX` escapes; with `plus_is_space` also '+' (form encoding, query strings only).
/// Empty when an escape is truncated or not hexadecimal.
std::optional<std::string> percentDecode(std::string_view text, bool plus_is_space);

/// Parses "a=1&b=x%20y" into decoded pairs; a name without '=' gets an empty value, empty pieces
/// are skipped and a repeated name keeps its first value. Empty when an escape is malformed.
std::optional<std::map<std::string, std::string>> parseQuery(std::string_view query);

}  // namespace plugin::http
