// parseUrl: mariadb://user:password@host:port/database?pool_size=N&...

#include <charconv>
#include <string>
#include <string_view>

#include "courses/error.hpp"
#include "courses/mariadb/store.hpp"

namespace courses::mariadb {
namespace {

[[noreturn]] void bad(std::string_view why) {
  throw Error(ErrorCode::invalid_argument, "invalid database URL: " + std::string(why));
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) bad("truncated percent escape");
    const int high = hexValue(text[i + 1]);
    const int low = hexValue(text[i + 2]);
    if (high < 0 || low < 0) bad("malformed percent escape");
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

long long parseNumber(std::string_view text, long long min, long long max, std::string_view what) {
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max) {
    bad(std::string(what) + " must be a number from " + std::to_string(min) + " to " +
        std::to_string(max));
  }
  return value;
}

bool isIdentifier(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '$';
    if (!ok) return false;
  }
  return true;
}

void applyQuery(Config& config, std::string_view query) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) bad("query parameter without a value");
    const std::string_view key = pair.substr(0, eq);
    const std::string_view value = pair.substr(eq + 1);
    if (key == "pool_size") {
      config.pool_size = static_cast<int>(parseNumber(value, 1, 1000, key));
    } else if (key == "connect_timeout") {
      config.connect_timeout_s = static_cast<int>(parseNumber(value, 1, 3600, key));
    } else if (key == "read_timeout") {
      config.read_timeout_s = static_cast<int>(parseNumber(value, 1, 3600, key));
    } else if (key == "write_timeout") {
      config.write_timeout_s = static_cast<int>(parseNumber(value, 1, 3600, key));
    } else {
      bad("unknown query parameter '" + std::string(key) + "'");
    }
  }
}

}  // namespace

Config parseUrl(std::string_view url) {
  constexpr std::string_view kScheme = "mariadb://";
  if (!url.starts_with(kScheme)) bad("it must start with mariadb://");
  std::string_view rest = url.substr(kScheme.size());
  Config config;

  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    applyQuery(config, rest.substr(q + 1));
    rest = rest.substr(0, q);
  }
  std::string_view authority = rest;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    authority = rest.substr(0, slash);
    const std::string_view database = rest.substr(slash + 1);
    if (!database.empty() && !isIdentifier(database)) {
      bad("the database name may hold only letters, digits, '_' and '$' (at most 64)");
    }
    config.database = std::string(database);
  }
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const auto colon = userinfo.find(':');
    config.user = percentDecode(userinfo.substr(0, colon));
    if (colon != std::string_view::npos)
      config.password = percentDecode(userinfo.substr(colon + 1));
  }
  std::string_view port_text;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) bad("unterminated [ipv6] host");
    config.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(':')) bad("unexpected text after the host");
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.find(':');
    config.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (config.host.empty()) bad("no host");
  if (!port_text.empty() || authority.ends_with(':')) {
    config.port = static_cast<unsigned>(parseNumber(port_text, 1, 65535, "port"));
  }
  return config;
}

}  // namespace courses::mariadb
