#include "listener.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <chrono>

#include "http_session.hpp"
#include "plugin/http/log.hpp"

namespace plugin::http {

namespace net = boost::asio;
using tcp = net::ip::tcp;

Listener::Listener(net::io_context& ioc, const tcp::endpoint& endpoint,
                   std::shared_ptr<ServerState> state)
    : ioc_(ioc),
      acceptor_(net::make_strand(ioc)),
      pause_(acceptor_.get_executor()),
      state_(std::move(state)) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
}

tcp::endpoint Listener::localEndpoint() const {
  return acceptor_.local_endpoint();
}

void Listener::run() {
  net::dispatch(acceptor_.get_executor(),
                boost::beast::bind_front_handler(&Listener::doAccept, shared_from_this()));
}

void Listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::beast::error_code ignored;
    self->pause_.cancel();
    self->acceptor_.close(ignored);
  });
}

void Listener::doAccept() {
  if (!acceptor_.is_open()) return;
  // Each connection gets its own strand: its handlers never run concurrently.
  acceptor_.async_accept(net::make_strand(ioc_),
                         boost::beast::bind_front_handler(&Listener::onAccept, shared_from_this()));
}

void Listener::onAccept(boost::beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    // Typically EMFILE: retrying at once would spin, so wait a little for descriptors to free.
    logLine("qatysu.http", LogLevel::warning, "accept failed: " + ec.message());
    doPause();
    return;
  }
  std::make_shared<HttpSession>(std::move(socket), state_)->run();
  doAccept();
}

void Listener::doPause() {
  pause_.expires_after(std::chrono::milliseconds(50));
  pause_.async_wait(boost::beast::bind_front_handler(&Listener::onPause, shared_from_this()));
}

void Listener::onPause(boost::beast::error_code ec) {
  if (ec) return;
  doAccept();
}

}  // namespace plugin::http
