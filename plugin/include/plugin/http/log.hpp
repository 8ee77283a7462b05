#pragma once
// Where the transport and the API write their log lines. These modules know no logging library:
// the composition root (plugin/src/app) points the sink at Poco's loggers once at start-up; until
// then (unit tests) lines are dropped. Lines never carry secrets, query strings or bodies.

#include <functional>
#include <string_view>

namespace plugin::http {

enum class LogLevel { warning, error };

/// Receives one line: its channel ("qatysu.http", "qatysu.api"), level and text.
using LogSink =
    std::function<void(std::string_view channel, LogLevel level, std::string_view message)>;

/// Replaces the sink. Call it before any server starts: it is not synchronised with logging.
void setLogSink(LogSink sink);

/// Writes one line to the sink, if there is one. Never throws.
void logLine(std::string_view channel, LogLevel level, std::string_view message) noexcept;

}  // namespace plugin::http
