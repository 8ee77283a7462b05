#include "plugin/api/rate_limit.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace plugin::api {
namespace {

using namespace std::chrono_literals;

/// A clock the test moves by hand.
struct ManualClock {
  std::chrono::steady_clock::time_point now{std::chrono::hours{1000}};
  RateLimiter::Clock function() {
    return [this] { return now; };
  }
};

TEST(RateLimiterTest, AllowsTheLimitPerWindowThenRefusesWithRetryAfter) {
  ManualClock clock;
  RateLimiter limiter({60, 60s, 100}, clock.function());
  for (int i = 0; i < 60; ++i) EXPECT_FALSE(limiter.acquire("10.0.0.1")) << i;
  const auto refused = limiter.acquire("10.0.0.1");
  ASSERT_TRUE(refused);
  EXPECT_EQ(*refused, 60);
  // Another address is counted on its own.
  EXPECT_FALSE(limiter.acquire("10.0.0.2"));
  clock.now += 45s;
  EXPECT_EQ(limiter.acquire("10.0.0.1"), 15);
  clock.now += 15s;
  EXPECT_FALSE(limiter.acquire("10.0.0.1"));
}

TEST(RateLimiterTest, AWindowWithoutReachingTheLimitStartsAgain) {
  ManualClock clock;
  RateLimiter limiter({3, 60s, 100}, clock.function());
  EXPECT_FALSE(limiter.record("a"));
  EXPECT_FALSE(limiter.record("a"));
  clock.now += 61s;
  EXPECT_FALSE(limiter.record("a"));
  EXPECT_FALSE(limiter.record("a"));
  EXPECT_FALSE(limiter.retryAfter("a"));
  EXPECT_TRUE(limiter.record("a"));
  EXPECT_EQ(limiter.retryAfter("a"), 60);
}

TEST(RateLimiterTest, FailuresLockForTheWholeWindowFromTheLastOne) {
  ManualClock clock;
  RateLimiter limiter({5, std::chrono::minutes{15}, 100}, clock.function());
  for (int i = 0; i < 4; ++i) {
    EXPECT_FALSE(limiter.record("client"));
    clock.now += 2min;
  }
  EXPECT_FALSE(limiter.retryAfter("client"));
  EXPECT_TRUE(limiter.record("client"));
  EXPECT_EQ(limiter.retryAfter("client"), 15 * 60);
  clock.now += 14min;
  EXPECT_EQ(limiter.retryAfter("client"), 60);
  clock.now += 1min;
  EXPECT_FALSE(limiter.retryAfter("client"));
  // After the lock a full set of attempts is back.
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(limiter.record("client"));
}

TEST(RateLimiterTest, ClearForgetsAKey) {
  ManualClock clock;
  RateLimiter limiter({2, 60s, 100}, clock.function());
  limiter.record("a");
  limiter.clear("a");
  EXPECT_FALSE(limiter.record("a"));
  EXPECT_EQ(limiter.size(), 1U);
}

TEST(RateLimiterTest, NeverTracksMoreKeysThanItsCapacity) {
  ManualClock clock;
  RateLimiter limiter({2, 60s, 10}, clock.function());
  // A blocked key survives a flood of new ones that would expire before it.
  limiter.record("blocked");
  limiter.record("blocked");
  clock.now += 1s;
  for (int i = 0; i < 1000; ++i) limiter.record("addr-" + std::to_string(i));
  EXPECT_LE(limiter.size(), 10U);
  EXPECT_TRUE(limiter.retryAfter("blocked"));
  // Expired entries make room first.
  clock.now += 2min;
  limiter.record("late");
  EXPECT_EQ(limiter.size(), 1U);
}

TEST(RateLimiterTest, IsSafeToUseFromManyThreads) {
  RateLimiter limiter({1000, 60s, 50});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&limiter, t] {
      for (int i = 0; i < 2000; ++i) limiter.acquire("k" + std::to_string((t * 7 + i) % 80));
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_LE(limiter.size(), 50U);
}

}  // namespace
}  // namespace plugin::api
