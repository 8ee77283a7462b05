#pragma once
// Per-client rate limits (public verification, sign-in with an access code). Memory is bounded:
// at most `capacity` clients are tracked, expired entries are dropped first, and when every
// entry is still live the one closest to expiry makes room.

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace plugin::api {

/// Counts events per key (a client address). Once a key has counted `limit` events within one
/// `window` (which starts at its first event), it is refused for `window` from the last of them.
/// Thread-safe.
class RateLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  struct Config {
    int limit = 60;
    std::chrono::seconds window{60};
    std::size_t capacity = 10000;
  };

  explicit RateLimiter(Config config, Clock clock = &std::chrono::steady_clock::now);

  /// Seconds (>= 1) until `key` may act again, or nullopt when it may act now. Counts nothing.
  std::optional<int> retryAfter(const std::string& key);

  /// Counts one event for `key`; true when this event reached the limit (and blocks the key).
  bool record(const std::string& key);

  /// retryAfter(), then record() when allowed: for limits on every request. Seconds to wait
  /// when refused (the refused request is not counted). A request that costs more than one
  /// event (a dry run of many rows) counts `cost` events at once.
  std::optional<int> acquire(const std::string& key, int cost = 1);

  /// Forgets `key` (after a successful sign-in).
  void clear(const std::string& key);

  /// Keys tracked now (for tests).
  std::size_t size();

 private:
  struct Entry {
    int count = 0;
    std::chrono::steady_clock::time_point window_start;
    std::chrono::steady_clock::time_point blocked_until;
  };
  using TimePoint = std::chrono::steady_clock::time_point;

  std::optional<int> retryAfterLocked(const std::string& key, TimePoint now);
  bool recordLocked(const std::string& key, TimePoint now, int cost = 1);
  TimePoint expiry(const Entry& entry) const;
  void makeRoom(TimePoint now);

  Config config_;
  Clock clock_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace plugin::api
