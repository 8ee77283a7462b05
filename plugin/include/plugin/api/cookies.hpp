#pragma once
// The session cookie of the web app: reading it from Cookie headers and writing Set-Cookie.
// The cookie holds the same token a bearer client gets; it is HttpOnly (scripts never see it)
// and SameSite=Strict, and requests that change something also carry the session's CSRF token.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace plugin::api {

/// Name of the cookie that carries a session token.
inline constexpr std::string_view kSessionCookie = "qatysu_session";

/// The header a cookie session's CSRF token comes back in.
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

/// The value of the first cookie called `name` in one Cookie header value
/// ("a=1; qatysu_session=xyz"): pieces are split at ';', spaces and tabs around names and values
/// are ignored, a value in double quotes loses them, names compare exactly, and pieces without
/// '=' or with an empty name are skipped. nullopt when there is no such cookie.
std::optional<std::string_view> cookieValue(std::string_view header, std::string_view name);

/// "qatysu_session=<token>; Path=/; HttpOnly; SameSite=Strict; Max-Age=<seconds>" and
/// "; Secure" when `secure`.
std::string sessionCookie(std::string_view token, std::chrono::seconds max_age, bool secure);

/// The Set-Cookie value that makes a browser drop the session cookie (empty value, Max-Age=0).
std::string expiredSessionCookie(bool secure);

}  // namespace plugin::api
