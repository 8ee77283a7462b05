#pragma once
// What every session of one server shares: its configuration, the routing table, the metrics,
// the worker pool, and the set of open sessions (so that stop() can reach and count them).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "plugin/http/metrics.hpp"
#include "plugin/http/router.hpp"
#include "plugin/http/server.hpp"
#include "worker_pool.hpp"

namespace plugin::http {

class HttpSession;

class ServerState {
 public:
  ServerState(const ServerConfig& config, const Router& router, Metrics& metrics,
              WorkerPool& workers)
      : config_(config), router_(router), metrics_(metrics), workers_(workers) {}

  const ServerConfig& config() const noexcept { return config_; }
  const Router& router() const noexcept { return router_; }
  Metrics& metrics() noexcept { return metrics_; }
  WorkerPool& workers() noexcept { return workers_; }

  /// True once stop() began: sessions answer what they have and close.
  bool stopping() const noexcept { return stopping_.load(std::memory_order_acquire); }

  /// Registers an open session; false when stopping or at max_connections (close it then).
  bool join(const std::shared_ptr<HttpSession>& session);
  /// Unregisters a session (from its destructor).
  void leave(const HttpSession* session) noexcept;

  /// Marks the server stopping and asks every open session to finish.
  void stop();
  /// Waits until every session has gone or `grace` has passed; true when none is left.
  bool waitUntilEmpty(std::chrono::milliseconds grace);

 private:
  const ServerConfig& config_;
  const Router& router_;
  Metrics& metrics_;
  WorkerPool& workers_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable emptied_;
  std::unordered_map<const HttpSession*, std::weak_ptr<HttpSession>> sessions_;
};

}  // namespace plugin::http
