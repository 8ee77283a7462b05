#include "worker_pool.hpp"

#include <exception>
#include <string>

#include "plugin/http/log.hpp"

namespace plugin::http {

WorkerPool::WorkerPool(std::size_t threads, std::size_t queue_limit) : queue_limit_(queue_limit) {
  threads_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool() {
  stop();
}

bool WorkerPool::tryPost(std::function<void()> job) {
  {
    std::lock_guard lock{mutex_};
    if (stopping_ || queue_.size() >= queue_limit_) return false;
    queue_.push_back(std::move(job));
  }
  ready_.notify_one();
  return true;
}

void WorkerPool::stop() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
    dropped.swap(queue_);
  }
  ready_.notify_all();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  // `dropped` dies here, outside the lock: a job's captures may run destructors that post work.
}

void WorkerPool::run() {
  while (true) {
    std::function<void()> job;
    {
      std::unique_lock lock{mutex_};
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      job();
    } catch (const std::exception& e) {
      logLine("qatysu.http", LogLevel::error, std::string{"worker job failed: "} + e.what());
    } catch (...) {
      logLine("qatysu.http", LogLevel::error, "worker job failed with a non-standard exception");
    }
  }
}

}  // namespace plugin::http
