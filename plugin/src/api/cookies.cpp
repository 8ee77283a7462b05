#include "plugin/api/cookies.hpp"

#include "courses/text.hpp"

namespace plugin::api {

namespace {

using courses::trim;

std::string cookieAttributes(std::chrono::seconds max_age, bool secure) {
  std::string attributes =
      "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age.count());
  if (secure) attributes += "; Secure";
  return attributes;
}

}  // namespace

std::optional<std::string_view> cookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const std::size_t end = header.find(';');
    const std::string_view piece = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    const std::size_t equals = piece.find('=');
    // A piece without '=' is not a cookie (RFC 6265 §5.2 ignores it); skip it, keep reading.
    if (equals == std::string_view::npos) continue;
    const std::string_view piece_name = trim(piece.substr(0, equals));
    if (piece_name.empty() || piece_name != name) continue;
    std::string_view value = trim(piece.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return std::nullopt;
}

std::string sessionCookie(std::string_view token, std::chrono::seconds max_age, bool secure) {
  return std::string(kSessionCookie) + "=" + std::string(token) + cookieAttributes(max_age, secure);
}

std::string expiredSessionCookie(bool secure) {
  return std::string(kSessionCookie) + "=" + cookieAttributes(std::chrono::seconds{0}, secure);
}

}  // namespace plugin::api
