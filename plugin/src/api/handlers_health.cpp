#include <boost/json/object.hpp>
#include <chrono>
#include <mutex>

#include "courses/error.hpp"
#include "handler_support.hpp"
#include "handlers.hpp"
#include "plugin/api/errors.hpp"
#include "plugin/api/openapi.hpp"

namespace plugin::api::handlers {

using http::beast_http::status;

namespace {
constexpr int kPingTimeoutMs = 2000;
constexpr std::chrono::seconds kReadinessCacheTtl{1};
}  // namespace

struct ReadinessProbe::State {
  std::mutex mutex;
  std::chrono::steady_clock::time_point checked_at{};
  bool has_result = false;
  bool ready = false;
};

ReadinessProbe::ReadinessProbe(courses::StorageHealth& health)
    : health_(health), state_(std::make_unique<State>()) {}

ReadinessProbe::~ReadinessProbe() = default;

bool ReadinessProbe::ready() {
  // Probes that arrive while a ping is running wait for its answer instead of pinging again.
  const std::lock_guard lock(state_->mutex);
  const auto now = std::chrono::steady_clock::now();
  if (state_->has_result && now - state_->checked_at < kReadinessCacheTtl) return state_->ready;
  bool ready = false;
  try {
    ready = health_.ping(kPingTimeoutMs);
  } catch (const std::exception&) {
    ready = false;  // a probe answers "not ready", never 500
  }
  state_->ready = ready;
  state_->has_result = true;
  state_->checked_at = std::chrono::steady_clock::now();
  return ready;
}

http::Response livez(http::Context& context) {
  return jsonResponse(context, status::ok, boost::json::object{{"status", "ok"}});
}

http::Response readyz(ReadinessProbe& probe, http::Context& context) {
  if (probe.ready()) {
    return jsonResponse(context, status::ok, boost::json::object{{"status", "ok"}});
  }
  return errorResponse(
      courses::Error(courses::ErrorCode::unavailable, "the database is not reachable"),
      context.request);
}

http::Response metrics(const Dependencies& deps, http::Context& context) {
  return textResponse(context, status::ok, "text/plain; version=0.0.4; charset=utf-8",
                      deps.metrics.render());
}

http::Response openApi(http::Context& context) {
  return textResponse(context, status::ok, "application/json", std::string(openApiDocument()));
}

}  // namespace plugin::api::handlers
