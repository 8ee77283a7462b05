#include "plugin/http/router.hpp"

#include <algorithm>
#include <array>
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

/// The order of a 405's Allow header; methods outside it follow in the order routes were added.
constexpr std::array kAllowOrder{beast_http::verb::get,   beast_http::verb::head,
                                 beast_http::verb::post,  beast_http::verb::put,
                                 beast_http::verb::patch, beast_http::verb::delete_};

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
      std::get<Miss>(found).reason == Miss::method_not_allowed) {
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
  if (path.empty() || path.front() != '/') return Miss{};
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
  if (best == nullptr) {
    if (!path_known) return Miss{};
    std::vector<beast_http::verb> allowed = allowedMethods(pieces);
    if (allowed.empty()) return Miss{};  // every matching pattern had a malformed escape
    return Miss{Miss::method_not_allowed, std::move(allowed)};
  }

  Match found{&routes_[best_index], {}};
  for (std::size_t i = 0; i < best->size(); ++i) {
    if (!(*best)[i].parameter) continue;
    std::optional<std::string> decoded = percentDecode(pieces[i], false);
    if (!decoded) return Miss{};
    found.params.push_back(std::move(*decoded));
  }
  return found;
}

std::vector<beast_http::verb> Router::allowedMethods(
    const std::vector<std::string_view>& pieces) const {
  std::vector<beast_http::verb> methods;  // of the matching routes, in the order added
  for (std::size_t r = 0; r < routes_.size(); ++r) {
    const std::vector<Segment>& segments = segments_[r];
    if (segments.size() != pieces.size()) continue;
    bool matches = true;
    for (std::size_t i = 0; i < segments.size() && matches; ++i) {
      matches = segments[i].parameter ? percentDecode(pieces[i], false).has_value()
                                      : segments[i].text == pieces[i];
    }
    const beast_http::verb method = routes_[r].method;
    if (matches && std::find(methods.begin(), methods.end(), method) == methods.end()) {
      methods.push_back(method);
    }
  }
  // A GET route answers HEAD too (see match()).
  if (std::find(methods.begin(), methods.end(), beast_http::verb::get) != methods.end() &&
      std::find(methods.begin(), methods.end(), beast_http::verb::head) == methods.end()) {
    methods.push_back(beast_http::verb::head);
  }
  const auto rank = [](beast_http::verb method) {
    return static_cast<std::size_t>(std::find(kAllowOrder.begin(), kAllowOrder.end(), method) -
                                    kAllowOrder.begin());
  };
  std::stable_sort(methods.begin(), methods.end(),
                   [&rank](beast_http::verb a, beast_http::verb b) { return rank(a) < rank(b); });
  return methods;
}

}  // namespace plugin::http
