#pragma once
// HTTP's optional whitespace (RFC 9110, 5.6.3), trimmed the one way the server's header parsing
// needs it: around a header value or a list item.

#include <string_view>

namespace plugin::http {

/// `value` without leading and trailing spaces and horizontal tabs.
inline std::string_view trimOws(std::string_view value) noexcept {
  const auto first = value.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = value.find_last_not_of(" \t");
  return value.substr(first, last - first + 1);
}

}  // namespace plugin::http
