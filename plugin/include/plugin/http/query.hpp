#pragma once
// A request target's query string as every name→value pair it carries, for routes that must see
// a repeated parameter (the router's Context::query keeps one value per name).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace plugin::http {

/// Parses "a=1&b=x%20y&a=2" into percent-decoded pairs in the order given, repeats kept ('+' is a
/// space); a name without '=' gets an empty value and empty pieces are skipped. Empty when an
/// escape is truncated or not hexadecimal.
std::optional<std::vector<std::pair<std::string, std::string>>> parseQueryPairs(
    std::string_view query);

/// The query string of a request target: what follows the first '?', or "" without one.
std::string_view queryOf(std::string_view target) noexcept;

}  // namespace plugin::http
