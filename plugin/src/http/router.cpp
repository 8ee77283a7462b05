#include "plugin/http/router.hpp"

#include <algorithm>
#include <stdexcept>

#include "plugin/http/url.hpp"

namespace plugin::http {
namespace {

/// Splits "/a/b" into {"a", "b"}; "/" is one empty segment, a trailing '/' adds an empty one.
std::vector<std::string_view> splitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  path.remove_prefix(1);
  while (true) {
    const std::size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool isParameter(std::string_view segment) {
  return segment.size() >= 3 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::add(beast_http::verb method, std::string pattern, Handler handler, Execution execution,
                 std::uint64_t body_limit) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  std::vector<Segment> segments;
  for (std::string_view piece : splitPath(pattern)) {
    const bool parameter = isParameter(piece);
    if (!parameter &&
        (piece.find('{') != std::string_view::npos || piece.find('}') != std::string_view::npos)) {
      throw std::invalid_argument("a route parameter must be a whole segment: " + pattern);
    }
    segments.push_back(Segment{parameter ? std::string{} : std::string{piece}, parameter});
  }
  for (const Route& route : routes_) {
    if (route.method == method && route.pattern == pattern) {
      throw std::invalid_argument("route added twice: " + pattern);
    }
  }
  if (!handler) throw std::invalid_argument("route without a handler: " + pattern);
  routes_.push_back(Route{method, std::move(pattern), std::move(handler), execution, body_limit});
  segments_.push_back(std::move(segments));
}

std::variant<Router::Match, Router::Miss> Router::match(beast_http::verb method,
                                                        std::string_view path) const {
  auto found = matchMethod(method, path);
  // RFC 9110 asks every GET resource to answer HEAD alike, so no route needs a HEAD twin.
  if (method == beast_http::verb::head && std::holds_alternative<Miss>(found) &&
      std::get<Miss>(found) == Miss::method_not_allowed) {
    return matchMethod(beast_http::verb::get, path);
  }
  return found;
}

std::uint64_t Router::largestBodyLimit(std::uint64_t server_limit) const noexcept {
  std::uint64_t largest = server_limit;
  for (const Route& route : routes_) largest = std::max(largest, route.body_limit);
  return largest;
}

std::variant<Router::Match, Router::Miss> Router::matchMethod(beast_http::verb method,
                                                              std::string_view path) const {
  if (path.empty() || path.front() != '/') return Miss::not_found;
  const std::vector<std::string_view> pieces = splitPath(path);

  const std::vector<Segment>* best = nullptr;
  std::size_t best_index = 0;
  bool path_known = false;
  for (std::size_t r = 0; r < routes_.size(); ++r) {
    const std::vector<Segment>& segments = segments_[r];
    if (segments.size() != pieces.size()) continue;
    bool matches = true;
    for (std::size_t i = 0; i < segments.size() && matches; ++i) {
      matches = segments[i].parameter ? !pieces[i].empty() : segments[i].text == pieces[i];
    }
    if (!matches) continue;
    path_known = true;
    if (routes_[r].method != method) continue;
    // A literal segment beats a parameter at the first place the two patterns differ, so
    // "/participants/search" wins over "/participants/{id}".
    bool better = best == nullptr;
    for (std::size_t i = 0; !better && i < segments.size(); ++i) {
      if (segments[i].parameter != (*best)[i].parameter) {
        better = !segments[i].parameter;
        break;
      }
    }
    if (better) {
      best = &segments;
      best_index = r;
    }
  }
  if (best == nullptr) return path_known ? Miss::method_not_allowed : Miss::not_found;

  Match found{&routes_[best_index], {}};
  for (std::size_t i = 0; i < best->size(); ++i) {
    if (!(*best)[i].parameter) continue;
    std::optional<std::string> decoded = percentDecode(pieces[i], false);
    if (!decoded) return Miss::not_found;
    found.params.push_back(std::move(*decoded));
  }
  return found;
}

}  // namespace plugin::http
