#pragma once
// A small synchronous HTTP/1.1 client for functional tests: one connection per request, a
// bounded wait for every reply, and a raw mode that sends arbitrary bytes (malformed or oversized
// requests) and parses whatever the server answers.

#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace support::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

/// One HTTP reply as received.
struct Reply {
  unsigned status = 0;
  Headers headers;  ///< in the order received; names as sent by the server
  std::string body;

  /// Value of the first header named `name` (case-insensitive), or "" when absent.
  std::string header(std::string_view name) const;
  /// True when a header named `name` is present (case-insensitive).
  bool hasHeader(std::string_view name) const;
  /// The body parsed as JSON; throws std::runtime_error naming the body when it is not JSON.
  boost::json::value json() const;
  /// "HTTP <status>\n<headers>\n<body>", for assertion messages.
  std::string describe() const;
};

/// One request to send.
struct Request {
  std::string method = "GET";
  std::string target = "/";
  Headers headers;
  std::string body;
  std::string content_type = "application/json";  ///< sent only when body is non-empty
};

/// Talks to one server at host:port. Every call opens a new connection, so calls are independent
/// (and safe from several threads).
class Client {
 public:
  Client(std::string host, std::uint16_t port,
         std::chrono::milliseconds timeout = std::chrono::seconds(15));

  /// Sends `request` (adding Host, Content-Length, Content-Type, and Authorization when a bearer
  /// token is set) and returns the reply. Throws std::runtime_error on connection failures.
  Reply send(const Request& request) const;

  Reply get(std::string target) const;
  Reply del(std::string target) const;
  Reply post(std::string target, std::string body, Headers headers = {}) const;
  Reply put(std::string target, std::string body, Headers headers = {}) const;
  Reply patch(std::string target, std::string body, Headers headers = {}) const;
  /// An edit as a client that read the entity first makes it: GET `target`, then PATCH it with
  /// the ETag the GET answered in If-Match ("*" when the GET answered none, e.g. 404).
  Reply edit(std::string target, std::string body) const;

  /// Writes `bytes` exactly as given and reads one reply. Write errors (the server may close
  /// before reading everything, e.g. on an oversized body) are tolerated as long as a reply
  /// arrives. Throws std::runtime_error when no parsable reply arrives.
  Reply sendRaw(std::string_view bytes) const;

  /// A copy that sends `Authorization: Bearer <token>` on every request.
  Client withToken(std::string token) const;

  const std::string& host() const noexcept { return host_; }
  std::uint16_t port() const noexcept { return port_; }
  const std::string& token() const noexcept { return token_; }

 private:
  std::string host_;
  std::uint16_t port_;
  std::chrono::milliseconds timeout_;
  std::string token_;
};

/// Serializes a JSON value to text.
std::string toJson(const boost::json::value& value);

}  // namespace support::http
