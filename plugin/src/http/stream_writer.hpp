#pragma once
// One streamed response (Context::stream) on a session's connection: the header with chunked
// transfer encoding, then one piece at a time, each made by the handler's producer on the worker
// pool and written before the next is asked for (memory stays bounded by the largest piece), then
// the last chunk. HTTP/1.0 has no chunked encoding: there the body is sent as it is and the end of
// the connection ends it.

#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/serializer.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "plugin/http/router.hpp"
#include "server_state.hpp"

namespace plugin::http {

class StreamWriter : public std::enable_shared_from_this<StreamWriter> {
 public:
  /// How a stream ended, reported once on the connection's strand.
  enum class Outcome {
    keep_alive,  ///< the body is complete; the connection takes the next request
    close,       ///< the body is complete; the connection closes (as the header said)
    failed,      ///< writing failed or the producer threw: the body is cut off, close at once
  };
  using Producer = std::function<bool(std::string& piece)>;
  using Done = std::function<void(Outcome outcome)>;

  /// `stream` belongs to the session, which `done` must keep alive until it is called.
  /// `producer` is empty for a HEAD request: the header goes out alone. `route_label` names the
  /// route in log lines and must outlive the writer.
  StreamWriter(boost::beast::tcp_stream& stream, std::shared_ptr<ServerState> state,
               std::string_view route_label, Producer producer, Done done);
  StreamWriter(const StreamWriter&) = delete;
  StreamWriter& operator=(const StreamWriter&) = delete;

  /// Frames `header` for streaming (its body and Content-Length dropped) and starts writing it.
  /// Call on the connection's strand, with the writer owned by a shared_ptr.
  void run(Response header);

 private:
  void doWriteHeader();
  void onWriteHeader(boost::beast::error_code ec, std::size_t bytes);
  void doProducePiece();
  void onPieceProduced(bool ok, bool more, std::string piece);
  void onWritePiece(bool more, boost::beast::error_code ec, std::size_t bytes);
  void doWriteLastChunk();
  void onWriteLastChunk(boost::beast::error_code ec, std::size_t bytes);
  void finish(Outcome outcome);

  boost::beast::tcp_stream& stream_;
  std::shared_ptr<ServerState> state_;
  std::string_view route_label_;
  Producer producer_;
  Done done_;
  bool chunked_ = true;  ///< false for HTTP/1.0
  std::optional<beast_http::response<beast_http::empty_body>> header_;
  std::optional<beast_http::response_serializer<beast_http::empty_body>> serializer_;
  std::string piece_;  ///< the one piece being written
};

}  // namespace plugin::http
