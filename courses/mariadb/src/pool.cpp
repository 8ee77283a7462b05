#include "pool.hpp"

#include <algorithm>

#include "courses/error.hpp"

namespace courses::mariadb {

Lease::~Lease() {
  if (pool_ != nullptr && connection_ != nullptr) {
    pool_->release(std::move(connection_), !discarded_);
  }
}

Pool::Pool(Config config, std::chrono::milliseconds acquire_timeout)
    : config_(std::move(config)), acquire_timeout_(acquire_timeout) {
  // release() must not allocate: it runs in destructors.
  idle_.reserve(static_cast<std::size_t>(std::max(config_.pool_size, 1)));
}

Pool::~Pool() {
  const std::lock_guard lock(mutex_);
  idle_.clear();
}

Lease Pool::acquire() {
  std::unique_lock lock(mutex_);
  const bool ready = freed_.wait_for(
      lock, acquire_timeout_, [this] { return !idle_.empty() || open_ < config_.pool_size; });
  if (!ready) {
    throw Error(ErrorCode::unavailable, "storage is busy; try again later");
  }
  if (!idle_.empty()) {
    // Most recently used first: its server-side caches are warm and it is least likely stale.
    std::unique_ptr<Connection> connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(connection));
  }
  ++open_;
  lock.unlock();
  try {
    return Lease(*this, std::make_unique<Connection>(config_, Connection::Options{}));
  } catch (...) {
    lock.lock();
    --open_;
    lock.unlock();
    freed_.notify_one();
    throw;
  }
}

void Pool::release(std::unique_ptr<Connection> connection, bool reusable) noexcept {
  {
    const std::lock_guard lock(mutex_);
    if (reusable) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
  }
  freed_.notify_one();
  connection.reset();  // a discarded connection closes outside the lock
}

void Pool::discardIdle() {
  std::vector<std::unique_ptr<Connection>> stale;
  {
    const std::lock_guard lock(mutex_);
    stale.swap(idle_);
    open_ -= static_cast<int>(stale.size());
  }
  freed_.notify_all();
}

}  // namespace courses::mariadb
