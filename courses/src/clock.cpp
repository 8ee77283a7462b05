#include "courses/clock.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <string>

#include "checks.hpp"
#include "courses/error.hpp"

namespace courses {

using detail::isDigit;

int Clock::currentYear() const {
  const Timestamp stamp = now();
  if (stamp.size() < 4 || !std::all_of(stamp.begin(), stamp.begin() + 4, isDigit)) {
    throw Error(ErrorCode::internal, "the clock returned a malformed timestamp");
  }
  return std::stoi(stamp.substr(0, 4));
}

Timestamp SystemClock::now() const {
  const std::time_t seconds =
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  if (gmtime_r(&seconds, &utc) == nullptr) {
    throw Error(ErrorCode::internal, "the system clock cannot be read as UTC");
  }
  char buffer[32];
  const std::size_t length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return Timestamp(buffer, length);
}

}  // namespace courses
