#pragma once
// Accepts connections and starts one HttpSession for each.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <memory>

#include "server_state.hpp"

namespace plugin::http {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  /// Opens, binds and listens; throws boost::system::system_error when that fails.
  Listener(boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint,
           std::shared_ptr<ServerState> state);

  /// Where it listens (with the real port when bound to port 0).
  boost::asio::ip::tcp::endpoint localEndpoint() const;

  /// Starts accepting.
  void run();
  /// Stops accepting; thread-safe.
  void stop();

 private:
  void doAccept();
  void onAccept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);
  void doPause();
  void onPause(boost::beast::error_code ec);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer pause_;
  std::shared_ptr<ServerState> state_;
};

}  // namespace plugin::http
