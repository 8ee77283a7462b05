#include "plugin/http/metrics.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace plugin::http {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(MetricsTest, RendersEmptyMetricsWithTypes) {
  const Metrics metrics;
  const std::string text = metrics.render();
  EXPECT_TRUE(contains(text, "# TYPE qatysu_http_requests_total counter\n"));
  EXPECT_TRUE(contains(text, "# TYPE qatysu_http_request_duration_seconds histogram\n"));
  EXPECT_TRUE(contains(text, "# TYPE qatysu_db_transaction_retries_total counter\n"));
  EXPECT_TRUE(contains(text, "\nqatysu_db_transaction_retries_total 0\n"));
  EXPECT_FALSE(contains(text, "qatysu_http_requests_total{"));
}

TEST(MetricsTest, CountsByRouteMethodAndStatus) {
  Metrics metrics;
  metrics.observe("/livez", "GET", 200, 0.0001);
  metrics.observe("/livez", "GET", 200, 0.0001);
  metrics.observe("/livez", "POST", 405, 0.0001);
  metrics.observe("unmatched", "GET", 404, 0.0001);
  const std::string text = metrics.render();
  EXPECT_TRUE(contains(
      text, "qatysu_http_requests_total{route=\"/livez\",method=\"GET\",status=\"200\"} 2\n"));
  EXPECT_TRUE(contains(
      text, "qatysu_http_requests_total{route=\"/livez\",method=\"POST\",status=\"405\"} 1\n"));
  EXPECT_TRUE(contains(
      text, "qatysu_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"));
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
  Metrics metrics;
  // Binary fractions, so that the sum is exact.
  metrics.observe("/r", "GET", 200, 0.0009765625);  // le 0.001
  metrics.observe("/r", "GET", 200, 0.00390625);    // le 0.005
  metrics.observe("/r", "GET", 200, 0.125);         // le 0.25
  metrics.observe("/r", "GET", 200, 64.0);          // +Inf only
  metrics.observe("/s", "GET", 200, 0.001);         // bounds are inclusive
  const std::string text = metrics.render();
  const std::string prefix = "qatysu_http_request_duration_seconds_bucket{route=\"/r\",le=\"";
  EXPECT_TRUE(contains(text, prefix + "0.001\"} 1\n"));
  EXPECT_TRUE(contains(text, prefix + "0.0025\"} 1\n"));
  EXPECT_TRUE(contains(text, prefix + "0.005\"} 2\n"));
  EXPECT_TRUE(contains(text, prefix + "0.1\"} 2\n"));
  EXPECT_TRUE(contains(text, prefix + "0.25\"} 3\n"));
  EXPECT_TRUE(contains(text, prefix + "10\"} 3\n"));
  EXPECT_TRUE(contains(text, prefix + "+Inf\"} 4\n"));
  EXPECT_TRUE(contains(text, "qatysu_http_request_duration_seconds_count{route=\"/r\"} 4\n"));
  EXPECT_TRUE(
      contains(text, "qatysu_http_request_duration_seconds_sum{route=\"/r\"} 64.1298828125\n"));
  EXPECT_TRUE(contains(text, "{route=\"/s\",le=\"0.001\"} 1\n"));
}

TEST(MetricsTest, EscapesLabelValues) {
  Metrics metrics;
  metrics.observe("/a\"b\\c\nd", "GET", 200, 0.0);
  EXPECT_TRUE(contains(metrics.render(), "route=\"/a\\\"b\\\\c\\nd\""));
}

TEST(MetricsTest, ReadsDbRetriesFromTheSource) {
  Metrics metrics;
  std::uint64_t retries = 3;
  metrics.setDbRetriesSource([&retries] { return retries; });
  EXPECT_TRUE(contains(metrics.render(), "\nqatysu_db_transaction_retries_total 3\n"));
  retries = 5;
  EXPECT_TRUE(contains(metrics.render(), "\nqatysu_db_transaction_retries_total 5\n"));
}

TEST(MetricsTest, CountsEveryObservationFromManyThreads) {
  Metrics metrics;
  constexpr int kThreads = 4;
  constexpr int kEach = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < kEach; ++i) {
        metrics.observe(t % 2 == 0 ? "/even" : "/odd", "GET", 200, 0.0005);
        if (i % 500 == 0) (void)metrics.render();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const std::string text = metrics.render();
  EXPECT_TRUE(contains(text, "{route=\"/even\",method=\"GET\",status=\"200\"} 10000\n"));
  EXPECT_TRUE(contains(text, "{route=\"/odd\",method=\"GET\",status=\"200\"} 10000\n"));
}

}  // namespace
}  // namespace plugin::http
