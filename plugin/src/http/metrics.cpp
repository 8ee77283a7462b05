#include "plugin/http/metrics.hpp"

#include <algorithm>
#include <charconv>

namespace plugin::http {
namespace {

/// Label values may hold '\\', '"' and newlines only escaped (text format 0.0.4).
void appendLabelValue(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out.push_back(c);
    }
  }
}

/// The shortest text that reads back as `value` ("0.0025", not "0.0025000000000000001").
void appendNumber(std::string& out, double value) {
  char text[32];
  const auto result = std::to_chars(text, text + sizeof text, value);
  out.append(text, result.ptr);
}

}  // namespace

void Metrics::observe(std::string_view route_pattern, std::string_view method, unsigned status,
                      double seconds) {
  if (!(seconds >= 0.0)) seconds = 0.0;  // also NaN: a clock glitch must not poison the sum
  // Find the bucket before taking the lock: the critical section is a few map look-ups and adds,
  // and it allocates only the first time a (route, method, status) is seen.
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds) - kBuckets.begin());
  std::lock_guard lock{mutex_};
  auto route = routes_.find(route_pattern);
  if (route == routes_.end())
    route = routes_.emplace(std::string{route_pattern}, RouteStats{}).first;
  RouteStats& stats = route->second;
  auto by_method = stats.counts.find(method);
  if (by_method == stats.counts.end()) {
    by_method =
        stats.counts.emplace(std::string{method}, std::map<unsigned, std::uint64_t>{}).first;
  }
  ++by_method->second[status];
  if (bucket < kBuckets.size()) ++stats.buckets[bucket];
  ++stats.observations;
  stats.seconds_sum += seconds;
}

void Metrics::setDbRetriesSource(std::function<std::uint64_t()> source) {
  std::lock_guard lock{mutex_};
  db_retries_ = std::move(source);
}

std::string Metrics::render() const {
  std::string out;
  std::function<std::uint64_t()> db_retries;
  {
    std::lock_guard lock{mutex_};
    db_retries = db_retries_;
    out +=
        "# HELP qatysu_http_requests_total HTTP requests answered, by route pattern, method and "
        "status.\n"
        "# TYPE qatysu_http_requests_total counter\n";
    for (const auto& [route, stats] : routes_) {
      for (const auto& [method, by_status] : stats.counts) {
        for (const auto& [status, count] : by_status) {
          out += "qatysu_http_requests_total{route=\"";
          appendLabelValue(out, route);
          out += "\",method=\"";
          appendLabelValue(out, method);
          out += "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(count) + "\n";
        }
      }
    }
    out +=
        "# HELP qatysu_http_request_duration_seconds Time from a complete request header to a "
        "ready response.\n"
        "# TYPE qatysu_http_request_duration_seconds histogram\n";
    for (const auto& [route, stats] : routes_) {
      std::string labels = "route=\"";
      appendLabelValue(labels, route);
      labels += "\"";
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += stats.buckets[i];
        out += "qatysu_http_request_duration_seconds_bucket{" + labels + ",le=\"";
        appendNumber(out, kBuckets[i]);
        out += "\"} " + std::to_string(cumulative) + "\n";
      }
      out += "qatysu_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " +
             std::to_string(stats.observations) + "\n";
      out += "qatysu_http_request_duration_seconds_sum{" + labels + "} ";
      appendNumber(out, stats.seconds_sum);
      out += "\nqatysu_http_request_duration_seconds_count{" + labels + "} " +
             std::to_string(stats.observations) + "\n";
    }
  }
  // The source may take its own locks: call it outside ours.
  out +=
      "# HELP qatysu_db_transaction_retries_total Storage transactions retried after a deadlock "
      "or a lost connection.\n"
      "# TYPE qatysu_db_transaction_retries_total counter\n"
      "qatysu_db_transaction_retries_total " +
      std::to_string(db_retries ? db_retries() : 0) + "\n";
  return out;
}

}  // namespace plugin::http
