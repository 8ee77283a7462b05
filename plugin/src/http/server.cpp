#include "plugin/http/server.hpp"

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "listener.hpp"
#include "plugin/http/log.hpp"
#include "server_state.hpp"
#include "worker_pool.hpp"

namespace plugin::http {

namespace net = boost::asio;

struct Server::Impl {
  Impl(ServerConfig server_config, const Router& server_router, Metrics& server_metrics)
      : config(std::move(server_config)),
        router(server_router),
        metrics(server_metrics),
        ioc(static_cast<int>(std::max(config.io_threads, 1U))) {}

  void runIo() {
    // A handler that throws must not take the I/O thread (and every connection on it) down.
    while (true) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        logLine("qatysu.http", LogLevel::error, std::string{"I/O thread: "} + e.what());
      }
    }
  }

  ServerConfig config;
  const Router& router;
  Metrics& metrics;
  // Destroyed after the listener and the worker pool, which may still own sessions (and so
  // sockets of this context).
  net::io_context ioc;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::unique_ptr<WorkerPool> workers;
  std::shared_ptr<ServerState> state;
  std::shared_ptr<Listener> listener;
  std::vector<std::thread> threads;
  unsigned short port = 0;
  std::mutex lifecycle;
  bool started = false;
  bool stopped = false;
};

Server::Server(ServerConfig config, const Router& router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(config), router, metrics)) {}

Server::~Server() {
  stop();
}

unsigned short Server::bind() {
  Impl& impl = *impl_;
  std::lock_guard lock{impl.lifecycle};
  return bindLocked();
}

unsigned short Server::bindLocked() {
  Impl& impl = *impl_;
  if (impl.started) throw std::logic_error("the server was already started");
  if (impl.listener) return impl.port;
  const net::ip::tcp::endpoint endpoint{net::ip::make_address(impl.config.address),
                                        impl.config.port};
  impl.workers =
      std::make_unique<WorkerPool>(std::max(impl.config.workers, 1U), impl.config.queue_limit);
  impl.state = std::make_shared<ServerState>(impl.config, impl.router, impl.metrics, *impl.workers);
  try {
    impl.listener = std::make_shared<Listener>(impl.ioc, endpoint, impl.state);
  } catch (...) {
    impl.workers->stop();
    impl.workers.reset();
    impl.state.reset();
    throw;
  }
  impl.port = impl.listener->localEndpoint().port();
  return impl.port;
}

void Server::start() {
  Impl& impl = *impl_;
  std::lock_guard lock{impl.lifecycle};
  bindLocked();
  impl.started = true;
  impl.work.emplace(impl.ioc.get_executor());
  impl.listener->run();
  for (unsigned i = 0; i < std::max(impl.config.io_threads, 1U); ++i) {
    impl.threads.emplace_back([&impl] { impl.runIo(); });
  }
}

unsigned short Server::port() const noexcept {
  return impl_->port;
}

void Server::stop() {
  Impl& impl = *impl_;
  std::lock_guard lock{impl.lifecycle};
  if (!impl.started || impl.stopped) return;
  impl.stopped = true;
  impl.listener->stop();
  impl.state->stop();
  if (!impl.state->waitUntilEmpty(impl.config.shutdown_grace)) {
    logLine("qatysu.http", LogLevel::warning,
            "requests still in progress after the shutdown grace time; closing them");
  }
  impl.work.reset();
  impl.ioc.stop();
  for (std::thread& thread : impl.threads) thread.join();
  impl.workers->stop();
}

}  // namespace plugin::http
