#pragma once
// The HTTP/1.1 server: a Boost.Beast listener on a few I/O threads, one session per connection,
// blocking handlers on a bounded worker pool. Asio and Beast stay out of this header.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "plugin/http/client_address.hpp"
#include "plugin/http/metrics.hpp"
#include "plugin/http/router.hpp"

namespace plugin::http {

/// Limits and sizes of the server; the defaults are the production values.
struct ServerConfig {
  std::string address = "127.0.0.1";  ///< an IPv4 or IPv6 literal to listen on
  unsigned short port = 8080;         ///< 0: any free port, see Server::port()
  unsigned io_threads = 2;            ///< threads parsing, routing and writing
  unsigned workers = 16;              ///< threads running Execution::worker handlers
  std::size_t queue_limit = 256;      ///< worker jobs waiting at most; more answer 503
  std::chrono::milliseconds read_timeout{
      10'000};  ///< to receive one request (or write one response)
  std::chrono::milliseconds keep_alive_timeout{10'000};  ///< idle time between requests
  std::uint32_t header_limit = 8 * 1024;  ///< request line + header fields; more answer 431
  std::uint64_t body_limit = 64 * 1024;   ///< decoded body bytes; more answer 413
  std::size_t max_connections = 1024;     ///< further connections are closed at once
  std::chrono::milliseconds shutdown_grace{5'000};  ///< time stop() gives requests in flight
  /// Proxies whose X-Forwarded-For names the client (`http.trusted_proxies`); none by default.
  TrustedProxies trusted_proxies;
};

class Server {
 public:
  /// `router` and `metrics` must outlive the server.
  Server(ServerConfig config, const Router& router, Metrics& metrics);
  /// Calls stop().
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and listens without accepting yet, and returns the port (the real one when
  /// ServerConfig::port was 0), so that what depends on the address can be built before the
  /// routes are registered. Connections wait in the backlog until start(). Throws like start().
  unsigned short bind();

  /// Binds (unless bind() did), listens and starts the I/O and worker threads; returns once
  /// connections are accepted.
  /// Throws std::runtime_error (a boost::system::system_error) when the address is invalid or
  /// cannot be bound, and std::logic_error when called twice.
  void start();

  /// The port listened on (the real one when ServerConfig::port was 0); 0 before start().
  unsigned short port() const noexcept;

  /// Stops accepting, closes idle connections, gives requests already received up to
  /// `shutdown_grace` to be answered, then closes the rest and joins every thread. Idempotent;
  /// callable from any thread but a handler's.
  void stop();

 private:
  unsigned short bindLocked();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace plugin::http
