#pragma once
// A fixed set of threads running blocking jobs from a bounded queue.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace plugin::http {

class WorkerPool {
 public:
  /// Starts `threads` threads; at most `queue_limit` jobs wait for one.
  WorkerPool(std::size_t threads, std::size_t queue_limit);
  /// Calls stop().
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Queues a job; false (and the job is dropped) when the queue is full or the pool stopped.
  /// A job must not throw; one that does is logged and the thread carries on.
  bool tryPost(std::function<void()> job);

  /// Drops the jobs still waiting, lets the running ones finish and joins the threads.
  void stop();

 private:
  void run();

  const std::size_t queue_limit_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace plugin::http
