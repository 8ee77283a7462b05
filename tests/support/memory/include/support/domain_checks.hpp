#pragma once
// What the domain's unit tests share: a fixed clock and checks of the errors services throw.
// Header-only; include it from test files (it uses GoogleTest's assertions).

#include <gtest/gtest.h>

#include <optional>
#include <utility>

#include "courses/error.hpp"
#include "courses/services.hpp"

namespace support {

/// A clock that says what the test sets (2026-11-27T10:00:00Z until then).
class FixedClock final : public courses::Clock {
 public:
  courses::Timestamp now() const override { return now_; }
  courses::Timestamp now_ = "2026-11-27T10:00:00Z";
};

/// The courses::Error `action` throws, or nothing when it returns.
template <typename Action>
std::optional<courses::Error> errorOf(Action&& action) {
  try {
    std::forward<Action>(action)();
  } catch (const courses::Error& e) {
    return e;
  }
  return std::nullopt;
}

}  // namespace support

// Expects the statement to throw courses::Error with the given code.
#define EXPECT_ERROR(expected_code, ...)                                              \
  do {                                                                                \
    const auto caught_ = ::support::errorOf([&] { __VA_ARGS__; });                    \
    ASSERT_TRUE(caught_.has_value()) << "no error from: " #__VA_ARGS__;               \
    EXPECT_EQ(toString(caught_->code()), toString(expected_code)) << caught_->what(); \
  } while (false)

// Expects courses::Error(invalid_argument) whose first field problem names `expected_field`.
#define EXPECT_INVALID_FIELD(expected_field, ...)                                          \
  do {                                                                                     \
    const auto caught_ = ::support::errorOf([&] { __VA_ARGS__; });                         \
    ASSERT_TRUE(caught_.has_value()) << "no error from: " #__VA_ARGS__;                    \
    EXPECT_EQ(caught_->code(), ::courses::ErrorCode::invalid_argument) << caught_->what(); \
    ASSERT_FALSE(caught_->fields().empty()) << caught_->what();                            \
    EXPECT_EQ(caught_->fields().front().field, expected_field) << caught_->what();         \
  } while (false)
