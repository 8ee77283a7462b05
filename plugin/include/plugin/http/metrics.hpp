#pragma once
// Request counters and latency histograms in the Prometheus text format, shared by every I/O
// thread; the session records each request once its response is ready.

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace plugin::http {

class Metrics {
 public:
  /// Upper bounds (seconds) of the latency histogram buckets; +Inf is implicit.
  static constexpr std::array<double, 13> kBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                   0.25,  0.5,    1.0,   2.5,  5.0,   10.0};

  /// Counts one request. `route_pattern` is the routing-table pattern ("unmatched" when none
  /// matched), never the raw path, so the number of series stays bounded. Thread-safe.
  void observe(std::string_view route_pattern, std::string_view method, unsigned status,
               double seconds);

  /// Where qatysu_db_transaction_retries_total comes from (the storage); 0 when unset.
  void setDbRetriesSource(std::function<std::uint64_t()> source);

  /// Everything observed so far, Prometheus text format 0.0.4. Thread-safe.
  std::string render() const;

 private:
  struct RouteStats {
    /// method -> status -> count
    std::map<std::string, std::map<unsigned, std::uint64_t>, std::less<>> counts;
    std::array<std::uint64_t, kBuckets.size()> buckets{};  ///< not cumulative
    std::uint64_t observations = 0;
    double seconds_sum = 0.0;
  };

  mutable std::mutex mutex_;
  std::map<std::string, RouteStats, std::less<>> routes_;
  std::function<std::uint64_t()> db_retries_;
};

}  // namespace plugin::http
