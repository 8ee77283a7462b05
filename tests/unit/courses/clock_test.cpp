// Clock and SystemClock, courses/clock.hpp.
#include "courses/clock.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "courses/error.hpp"
#include "courses/text.hpp"
#include "support/domain_checks.hpp"

namespace courses {
namespace {

using support::FixedClock;

// --- clock --------------------------------------------------------------------------------------

TEST(ServicesClockTest, SystemClockWritesUtcTimestamps) {
  const SystemClock clock;
  const Timestamp now = clock.now();
  EXPECT_TRUE(isValidTimestamp(now)) << now;
  EXPECT_GE(clock.currentYear(), 2024);
}

TEST(ServicesClockTest, CurrentYearComesFromNow) {
  FixedClock clock;
  clock.now_ = "2019-12-31T23:59:59Z";
  EXPECT_EQ(clock.currentYear(), 2019);
}

}  // namespace
}  // namespace courses
