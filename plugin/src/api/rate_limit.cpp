#include "plugin/api/rate_limit.hpp"

#include <algorithm>

namespace plugin::api {

RateLimiter::RateLimiter(Config config, Clock clock) : config_(config), clock_(std::move(clock)) {}

std::optional<int> RateLimiter::retryAfter(const std::string& key) {
  const TimePoint now = clock_();
  const std::lock_guard lock(mutex_);
  return retryAfterLocked(key, now);
}

bool RateLimiter::record(const std::string& key) {
  const TimePoint now = clock_();
  const std::lock_guard lock(mutex_);
  return recordLocked(key, now);
}

std::optional<int> RateLimiter::acquire(const std::string& key, int cost) {
  const TimePoint now = clock_();
  const std::lock_guard lock(mutex_);
  if (auto wait = retryAfterLocked(key, now)) return wait;
  recordLocked(key, now, cost);
  return std::nullopt;
}

void RateLimiter::clear(const std::string& key) {
  const std::lock_guard lock(mutex_);
  entries_.erase(key);
}

std::size_t RateLimiter::size() {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

std::optional<int> RateLimiter::retryAfterLocked(const std::string& key, TimePoint now) {
  const auto it = entries_.find(key);
  if (it == entries_.end() || it->second.blocked_until <= now) return std::nullopt;
  const auto left = std::chrono::ceil<std::chrono::seconds>(it->second.blocked_until - now);
  return static_cast<int>(std::max<long long>(1, left.count()));
}

bool RateLimiter::recordLocked(const std::string& key, TimePoint now, int cost) {
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() >= config_.capacity) makeRoom(now);
    it = entries_.emplace(key, Entry{0, now, TimePoint{}}).first;
  }
  Entry& entry = it->second;
  if (now - entry.window_start >= config_.window) {
    entry.count = 0;
    entry.window_start = now;
  }
  entry.count += std::max(1, cost);
  if (entry.count < config_.limit) return false;
  entry.blocked_until = now + config_.window;
  // The block is a fresh start: once it ends, the key has a full set of events again.
  entry.count = 0;
  entry.window_start = entry.blocked_until;
  return true;
}

RateLimiter::TimePoint RateLimiter::expiry(const Entry& entry) const {
  return std::max(entry.window_start + config_.window, entry.blocked_until);
}

void RateLimiter::makeRoom(TimePoint now) {
  std::erase_if(entries_, [&](const auto& item) { return expiry(item.second) <= now; });
  if (entries_.size() < config_.capacity || entries_.empty()) return;
  // Every entry is live: drop the one that would have expired first, so memory stays bounded
  // and a flood of new addresses cannot push out long blocks before short windows.
  const auto oldest = std::min_element(
      entries_.begin(), entries_.end(),
      [&](const auto& a, const auto& b) { return expiry(a.second) < expiry(b.second); });
  entries_.erase(oldest);
}

}  // namespace plugin::api
