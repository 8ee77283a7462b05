#pragma once
// A bounded pool of connections. acquire() blocks until a connection is free or the timeout ends;
// connections are opened lazily, and a connection that failed is closed instead of returned.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "connection.hpp"
#include "courses/mariadb/store.hpp"

namespace courses::mariadb {

class Pool;

/// A connection borrowed from the pool; returned when the lease ends unless discarded.
class Lease {
 public:
  Lease(Pool& pool, std::unique_ptr<Connection> connection)
      : pool_(&pool), connection_(std::move(connection)) {}
  ~Lease();
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  Connection& operator*() const noexcept { return *connection_; }
  Connection* operator->() const noexcept { return connection_.get(); }
  /// Closes the connection when the lease ends instead of returning it to the pool.
  void discard() noexcept { discarded_ = true; }

 private:
  Pool* pool_;
  std::unique_ptr<Connection> connection_;
  bool discarded_ = false;
};

class Pool {
 public:
  Pool(Config config, std::chrono::milliseconds acquire_timeout);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// A connection, waiting at most the acquire timeout for one to be free: then
  /// Error(unavailable). Opening a new connection may throw DbError.
  Lease acquire();

  /// Closes the idle connections (after one was found dead: the server probably restarted).
  void discardIdle();

  const Config& config() const noexcept { return config_; }

 private:
  friend class Lease;
  void release(std::unique_ptr<Connection> connection, bool reusable) noexcept;

  const Config config_;
  const std::chrono::milliseconds acquire_timeout_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;  ///< idle + leased + being opened
};

}  // namespace courses::mariadb
