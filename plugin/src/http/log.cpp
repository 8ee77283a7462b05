#include "plugin/http/log.hpp"

#include <utility>

namespace plugin::http {
namespace {

LogSink& sink() {
  static LogSink installed;
  return installed;
}

}  // namespace

void setLogSink(LogSink sink_to_use) {
  sink() = std::move(sink_to_use);
}

void logLine(std::string_view channel, LogLevel level, std::string_view message) noexcept {
  const LogSink& installed = sink();
  if (!installed) return;
  try {
    installed(channel, level, message);
  } catch (...) {
    // A failing log channel must not turn a handled error into a crash.
  }
}

}  // namespace plugin::http
