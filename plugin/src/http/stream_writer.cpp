#include "stream_writer.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>
#include <utility>

#include "plugin/http/log.hpp"

namespace plugin::http {

namespace beast = boost::beast;
namespace net = boost::asio;

StreamWriter::StreamWriter(beast::tcp_stream& stream, std::shared_ptr<ServerState> state,
                           std::string_view route_label, Producer producer, Done done)
    : stream_(stream),
      state_(std::move(state)),
      route_label_(route_label),
      producer_(std::move(producer)),
      done_(std::move(done)) {}

void StreamWriter::run(Response header) {
  header.body().clear();
  header.erase(beast_http::field::content_length);
  // HTTP/1.0 has no chunked encoding: there the end of the connection ends the body.
  chunked_ = header.version() == 11;
  if (chunked_) {
    header.chunked(true);
  } else {
    header.keep_alive(false);
  }
  header_.emplace(std::move(header.base()));
  serializer_.emplace(*header_);
  doWriteHeader();
}

void StreamWriter::doWriteHeader() {
  stream_.expires_after(state_->config().read_timeout);
  beast_http::async_write_header(
      stream_, *serializer_,
      beast::bind_front_handler(&StreamWriter::onWriteHeader, shared_from_this()));
}

void StreamWriter::onWriteHeader(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) {
    finish(Outcome::failed);
    return;
  }
  if (!producer_) {  // HEAD: the body is never made
    finish(header_->keep_alive() ? Outcome::keep_alive : Outcome::close);
    return;
  }
  doProducePiece();
}

void StreamWriter::doProducePiece() {
  // The producer may block (storage, rendering), so it runs on the worker pool; the writer waits
  // for its piece before it writes anything, so the producer never runs twice at once.
  const bool queued = state_->workers().tryPost([self = shared_from_this()] {
    std::string piece;
    bool ok = true;
    bool more = false;
    try {
      more = self->producer_(piece);
    } catch (const std::exception& e) {
      ok = false;
      logLine("qatysu.http", LogLevel::error,
              "streamed response failed in " + std::string{self->route_label_} + ": " + e.what());
    } catch (...) {
      ok = false;
      logLine("qatysu.http", LogLevel::error,
              "streamed response failed in " + std::string{self->route_label_});
    }
    net::post(self->stream_.get_executor(), [self, ok, more, piece = std::move(piece)]() mutable {
      self->onPieceProduced(ok, more, std::move(piece));
    });
  });
  if (!queued) {
    // The status line is out already: the only honest answer left is a cut-off body.
    logLine("qatysu.http", LogLevel::warning,
            "streamed response cut off: the worker queue is full");
    finish(Outcome::failed);
  }
}

void StreamWriter::onPieceProduced(bool ok, bool more, std::string piece) {
  if (!ok) {
    finish(Outcome::failed);
    return;
  }
  // An empty chunk would end the body early: skip it.
  if (piece.empty()) {
    if (more) {
      doProducePiece();
    } else {
      doWriteLastChunk();
    }
    return;
  }
  piece_ = std::move(piece);
  stream_.expires_after(state_->config().read_timeout);
  auto on_written =
      beast::bind_front_handler(&StreamWriter::onWritePiece, shared_from_this(), more);
  if (chunked_) {
    net::async_write(stream_, beast_http::make_chunk(net::buffer(piece_)), std::move(on_written));
  } else {
    net::async_write(stream_, net::buffer(piece_), std::move(on_written));
  }
}

void StreamWriter::onWritePiece(bool more, beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) {
    finish(Outcome::failed);
    return;
  }
  piece_.clear();
  piece_.shrink_to_fit();
  if (more) {
    doProducePiece();
  } else {
    doWriteLastChunk();
  }
}

void StreamWriter::doWriteLastChunk() {
  if (!chunked_) {
    onWriteLastChunk({}, 0);
    return;
  }
  stream_.expires_after(state_->config().read_timeout);
  net::async_write(stream_, beast_http::make_chunk_last(),
                   beast::bind_front_handler(&StreamWriter::onWriteLastChunk, shared_from_this()));
}

void StreamWriter::onWriteLastChunk(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) {
    finish(Outcome::failed);
    return;
  }
  finish(header_->keep_alive() ? Outcome::keep_alive : Outcome::close);
}

void StreamWriter::finish(Outcome outcome) {
  producer_ = nullptr;
  serializer_.reset();
  header_.reset();
  // Moved out first: done_ holds the session, which may start its next request from here.
  Done done = std::move(done_);
  done_ = nullptr;
  if (done) done(outcome);
}

}  // namespace plugin::http
