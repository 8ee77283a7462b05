#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "courses/error.hpp"
#include "courses/text.hpp"
#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/http/conditional.hpp"

namespace plugin::api::handlers {

namespace {

namespace fs = std::filesystem;
using http::beast_http::field;
using http::beast_http::status;

/// Files larger than this are not served: the web app's bundles are far smaller.
constexpr std::uintmax_t kMaxFileBytes = 8u * 1024u * 1024u;

/// The page and the app it loads come from this server only.
constexpr std::string_view kAppPolicy =
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The app's page may be shown in an iframe by the registered LTI platforms, and nobody else.
std::string appPagePolicy(const Dependencies& deps) {
  const std::string platforms = ltiFrameAncestors(deps);
  if (platforms.empty()) return std::string(kAppPolicy);
  std::string policy(kAppPolicy);
  policy.replace(policy.find("frame-ancestors 'none'"), std::string_view("frame-ancestors 'none'").size(),
                 "frame-ancestors 'self' " + platforms);
  return policy;
}

[[noreturn]] void notFound() {
  throw courses::Error(courses::ErrorCode::not_found, "no file is served at this path");
}

std::string_view contentType(const fs::path& file) {
  const std::string extension = file.extension().string();
  if (extension == ".html") return "text/html; charset=utf-8";
  if (extension == ".css") return "text/css; charset=utf-8";
  if (extension == ".js" || extension == ".mjs") return "text/javascript; charset=utf-8";
  if (extension == ".json") return "application/json";
  if (extension == ".svg") return "image/svg+xml";
  if (extension == ".png") return "image/png";
  if (extension == ".woff2") return "font/woff2";
  if (extension == ".ico") return "image/x-icon";
  if (extension == ".txt") return "text/plain; charset=utf-8";
  if (extension == ".webmanifest") return "application/manifest+json";
  return "application/octet-stream";
}

/// A decoded path segment that names an entry inside its directory: no separators, no NUL, no
/// "." or "..", and no hidden files (which also keeps every dot-dot spelling out).
bool isSafeSegment(std::string_view segment) {
  return !segment.empty() && segment.front() != '.' &&
         segment.find_first_of(std::string_view("/\\\0:", 4)) == std::string_view::npos;
}

bool isInside(const fs::path& base, const fs::path& candidate) {
  const auto [base_end, unused] =
      std::mismatch(base.begin(), base.end(), candidate.begin(), candidate.end());
  return base_end == base.end();
}

/// The regular file `relative` names under `base` once every symlink is resolved, or nullopt
/// when it is missing, too large or outside `base`.
std::optional<fs::path> resolve(const fs::path& base, const fs::path& relative) {
  std::error_code error;
  const fs::path file = fs::canonical(base / relative, error);
  if (error || !isInside(base, file) || !fs::is_regular_file(file, error) || error) {
    return std::nullopt;
  }
  const std::uintmax_t size = fs::file_size(file, error);
  if (error || size > kMaxFileBytes) return std::nullopt;
  return file;
}

using courses::trim;

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

/// Calls `visit` with each trimmed item of a comma-separated header value.
template <typename Visit>
bool anyItem(std::string_view list, Visit visit) {
  while (true) {
    const std::size_t comma = list.find(',');
    if (visit(trim(list.substr(0, comma)))) return true;
    if (comma == std::string_view::npos) return false;
    list.remove_prefix(comma + 1);
  }
}

/// Whether Accept-Encoding admits gzip ("gzip", "gzip;q=0.5", "*"; "gzip;q=0" refuses it).
bool acceptsGzip(std::string_view accept_encoding) {
  return anyItem(accept_encoding, [](std::string_view item) {
    const std::size_t semicolon = item.find(';');
    const std::string_view coding = trim(item.substr(0, semicolon));
    if (!equalsIgnoringCase(coding, "gzip") && coding != "*") return false;
    if (semicolon == std::string_view::npos) return true;
    std::string_view parameter = trim(item.substr(semicolon + 1));
    if (!parameter.starts_with("q=") && !parameter.starts_with("Q=")) return true;
    parameter.remove_prefix(2);
    return parameter.find_first_not_of("0.") != std::string_view::npos;
  });
}

/// A strong validator from the size and the modification time of the bytes sent.
std::string entityTag(const fs::path& file, bool gzip) {
  // Unsigned, so a clock whose epoch is after the file's time still gives a plain number.
  const auto ticks =
      static_cast<std::uint64_t>(fs::last_write_time(file).time_since_epoch().count());
  return "\"" + std::to_string(fs::file_size(file)) + "-" + std::to_string(ticks) +
         (gzip ? "-gz" : "") + "\"";
}

std::string readFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (!in && !in.eof()) notFound();
  return bytes;
}

http::Response serve(const Dependencies& deps, const http::Context& context,
                     const fs::path& relative, std::string_view cache_control) {
  std::error_code error;
  const fs::path base = fs::canonical(deps.asset_dir, error);
  if (error) notFound();
  const std::optional<fs::path> file = resolve(base, relative);
  if (!file) notFound();

  std::optional<fs::path> gzipped;
  if (acceptsGzip(context.request[field::accept_encoding])) {
    gzipped = resolve(base, fs::path(relative) += ".gz");
  }
  const fs::path& sent = gzipped ? *gzipped : *file;
  const std::string tag = entityTag(sent, gzipped.has_value());

  const auto if_none_match = context.request[field::if_none_match];
  const bool unchanged = http::noneMatch({if_none_match.data(), if_none_match.size()}, tag);
  http::Response response =
      unchanged ? textResponse(context, status::not_modified, contentType(*file), {})
                : textResponse(context, status::ok, contentType(*file), readFile(sent));
  if (unchanged) response.erase(field::content_type);
  response.set(field::etag, tag);
  response.set(field::cache_control, cache_control);
  // Whether the gzip form exists is the server's business; caches must key on the header anyway.
  response.set(field::vary, "Accept-Encoding");
  if (gzipped) response.set(field::content_encoding, "gzip");
  response.set("Content-Security-Policy", kAppPolicy);
  return response;
}

}  // namespace

http::Response webIndex(const Dependencies& deps, http::Context& context) {
  std::string note;
  for (const char c : deps.login_note) {
    if ((c >= 'a' && c <= 'z') || c == '-') note += c;
  }
  if (note == "demo" && deps.demo_loaded && !deps.demo_loaded()) note.clear();
  if (note.empty() || note.size() > 32) {
    http::Response response = serve(deps, context, "index.html", "no-cache");
    response.set("Content-Security-Policy", appPagePolicy(deps));
    return response;
  }
  // The page is small and changes with the configuration, so it is sent whole, uncompressed,
  // with the note as a <meta> the login page reads.
  http::Response response = serve(deps, context, "index.html", "no-cache");
  if (response.result() != status::ok || response.count(field::content_encoding) > 0) {
    std::error_code error;
    const fs::path base = fs::canonical(deps.asset_dir, error);
    const std::optional<fs::path> file = error ? std::nullopt : resolve(base, "index.html");
    if (!file) notFound();
    response = textResponse(context, status::ok, "text/html; charset=utf-8", readFile(*file));
    response.set(field::cache_control, "no-cache");
  }
  response.set("Content-Security-Policy", appPagePolicy(deps));
  std::string body = std::move(response.body());
  const std::string meta = "<meta name=\"qatysu-login-note\" content=\"" + note + "\" />";
  const std::size_t head_end = body.find("</head>");
  body.insert(head_end == std::string::npos ? body.size() : head_end, meta);
  response.body() = std::move(body);
  response.erase(field::etag);
  response.prepare_payload();
  return response;
}

http::Response webServiceWorker(const Dependencies& deps, http::Context& context) {
  // Browsers check for a new worker on each visit; no-cache makes that check reach the server.
  return serve(deps, context, "sw.js", "no-cache");
}

http::Response webAsset(const Dependencies& deps, http::Context& context) {
  fs::path relative = "assets";
  for (const std::string& segment : context.params) {
    if (!isSafeSegment(segment)) notFound();
    relative /= segment;
  }
  return serve(deps, context, relative, "public, max-age=31536000, immutable");
}

}  // namespace plugin::api::handlers
