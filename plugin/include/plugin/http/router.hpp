#pragma once
// The one routing table of the service: method + path pattern -> handler. Patterns use `{name}`
// for one path segment ("/api/v1/cohorts/{id}/sessions"); matched segments reach the handler in
// order. Handlers only adapt: parse, call a service, serialize.

// Beast's message types only, not all of <boost/beast/http.hpp> (parser, serializer, read and
// write): every handler includes this header.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace plugin::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;

/// What a handler gets for one request.
struct Context {
  const Request& request;
  std::vector<std::string> params;           ///< `{…}` segments of the pattern, in order
  std::map<std::string, std::string> query;  ///< percent-decoded query parameters
  std::string client_address;                ///< peer IP, for rate limits
  std::string route_pattern;                 ///< the pattern that matched, for metrics
  /// Set by a handler whose body is too large to build in memory (a cohort's ZIP). The server
  /// sends the returned response's header with chunked transfer encoding (its string body is
  /// ignored), then calls `stream` on a worker thread for one piece at a time, writing each
  /// before asking for the next, until it returns false (the piece given with false is written
  /// too; empty pieces are skipped). A throw ends the connection. It outlives the handler, so it
  /// must own what it uses and never refer to this Context; calls never overlap.
  std::function<bool(std::string& piece)> stream;
};

using Handler = std::function<Response(Context&)>;

/// Where a handler runs: `inline_io` on the I/O thread (must never block: /livez, /metrics),
/// `worker` on the bounded worker pool (anything touching storage or hashing passwords).
enum class Execution { inline_io, worker };

struct Route {
  beast_http::verb method;
  std::string pattern;
  Handler handler;
  Execution execution = Execution::worker;
  /// The most body bytes this route reads; 0 means the server's `body_limit`.
  std::uint64_t body_limit = 0;
};

class Router {
 public:
  /// Adds a route. The pattern starts with '/', its segments are literals or a whole `{name}`.
  /// Throws std::invalid_argument for a malformed pattern or a method + pattern added twice.
  /// `body_limit` raises (or lowers) the server's body limit for this route alone; 0 keeps it.
  void add(beast_http::verb method, std::string pattern, Handler handler,
           Execution execution = Execution::worker, std::uint64_t body_limit = 0);

  struct Match {
    const Route* route = nullptr;
    std::vector<std::string> params;  ///< percent-decoded `{…}` segments, in order
  };
  /// Why no route answers a request.
  struct Miss {
    enum Reason { not_found, method_not_allowed };
    Reason reason = not_found;
    /// For method_not_allowed, the methods the path takes (what a 405's Allow lists): GET, HEAD,
    /// POST, PUT, PATCH, DELETE in that order, then any other in the order added. HEAD comes
    /// with GET. Empty for not_found.
    std::vector<beast_http::verb> allowed;
  };

  /// The route for a method and a path (no query string), or why there is none. Segments are
  /// compared exactly; a literal segment wins over a `{…}` segment at the first place two
  /// patterns differ, whatever the order they were added in. HEAD without a route of its own
  /// matches the GET route of the path: the server sends that answer's header without its body.
  /// A path whose `{…}` segment has a malformed percent-escape is not found, whatever the method.
  std::variant<Match, Miss> match(beast_http::verb method, std::string_view path) const;

  /// The largest body limit any route asks for, at least `server_limit`: what the server may
  /// have to read before it knows the route.
  std::uint64_t largestBodyLimit(std::uint64_t server_limit) const noexcept;

  /// Every route, in the order added (for the OpenAPI coverage test).
  const std::vector<Route>& routes() const noexcept { return routes_; }

 private:
  /// One segment of a pattern: a literal `text`, or a `{…}` parameter.
  struct Segment {
    std::string text;
    bool parameter = false;
  };
  /// match() for exactly `method`.
  std::variant<Match, Miss> matchMethod(beast_http::verb method, std::string_view path) const;
  /// The methods of the routes whose pattern matches `pieces`, in Miss::allowed's order.
  std::vector<beast_http::verb> allowedMethods(const std::vector<std::string_view>& pieces) const;

  std::vector<Route> routes_;
  std::vector<std::vector<Segment>> segments_;  ///< parallel to routes_
};

}  // namespace plugin::http
