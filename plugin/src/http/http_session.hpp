#pragma once
// One client connection: reads a request (header first, to check its framing, then the body),
// routes it, runs the handler inline or on the worker pool, writes the response, and repeats
// while the connection is kept alive. At most one request is in flight, so pipelined requests
// are answered in order. A handler may stream its body instead (Context::stream): the session
// hands that response to a StreamWriter and reads the next request once the writer is done.

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "plugin/http/router.hpp"
#include "server_state.hpp"
#include "stream_writer.hpp"

namespace plugin::http {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerState> state);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  /// Registers with the server and starts reading (on the session's strand).
  void run();
  /// Asks the session to finish: an idle connection closes now, a request being handled is
  /// answered first. Thread-safe.
  void shutdown();

 private:
  /// What the session waits for; decides what shutdown() does.
  enum class Phase { idle, reading, handling, closing };

  void start();
  void doReadHeader();
  void onReadHeader(boost::beast::error_code ec, std::size_t bytes);
  void doContinue();
  void onContinue(boost::beast::error_code ec, std::size_t bytes);
  void doReadBody();
  void onReadBody(boost::beast::error_code ec, std::size_t bytes);
  void dispatch();
  /// What every response gets before it is written: version, keep-alive, the standard headers;
  /// and the request is counted in the metrics.
  void prepareHeader(Response& response);
  void doWrite(Response response);
  void onWrite(boost::beast::error_code ec, std::size_t bytes);
  /// Sends a handler's answer: a StreamWriter takes it when the handler set Context::stream.
  void respond(Response response, StreamWriter::Producer producer);
  void doWriteStream(Response response, StreamWriter::Producer producer);
  void onStreamed(StreamWriter::Outcome outcome);
  void doClose();
  void doDrain();
  void onDrain(boost::beast::error_code ec, std::size_t bytes);
  void onShutdown();

  /// Answers a request that cannot be served with a problem, then closes the connection.
  void reject(beast_http::status status, std::string_view slug, std::string_view title,
              std::string detail);
  /// reject() for a read error: 431, 413 or 400.
  void rejectRequest(boost::beast::error_code ec);
  /// The body limit of the route the request header names; the server's when none matches.
  std::uint64_t bodyLimitFor(std::string_view target) const;
  void closeNow();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::shared_ptr<ServerState> state_;
  std::string client_address_;

  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  Request request_;
  beast_http::verb method_ = beast_http::verb::unknown;  ///< of the request being answered
  unsigned version_ = 11;
  bool keep_alive_ = false;       ///< what the request asked for
  std::uint64_t body_limit_ = 0;  ///< of the request being read: its route's, or the server's
  Response response_;
  Phase phase_ = Phase::idle;
  bool first_request_ = true;
  bool close_after_response_ = false;
  std::chrono::steady_clock::time_point started_;
  std::string_view route_label_;  ///< a routing-table pattern (outlives the server) or a literal
  std::size_t drained_ = 0;
};

}  // namespace plugin::http
