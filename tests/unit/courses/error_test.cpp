#include "courses/error.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace courses {
namespace {

TEST(ErrorTest, CodesHaveDistinctStableNames) {
  const ErrorCode codes[] = {
      ErrorCode::invalid_argument,  ErrorCode::unprocessable, ErrorCode::unauthenticated,
      ErrorCode::forbidden,         ErrorCode::not_found,     ErrorCode::conflict,
      ErrorCode::too_many_requests, ErrorCode::unavailable,   ErrorCode::internal};
  std::set<std::string_view> names;
  for (const ErrorCode code : codes) names.insert(toString(code));
  EXPECT_EQ(names.size(), std::size(codes));
  EXPECT_EQ(toString(ErrorCode::invalid_argument), "invalid_argument");
  EXPECT_EQ(toString(ErrorCode::not_found), "not_found");
  EXPECT_EQ(toString(ErrorCode::too_many_requests), "too_many_requests");
}

TEST(ErrorTest, CarriesCodeMessageAndFields) {
  const Error error(ErrorCode::invalid_argument, "full_name must not be empty",
                    {{"full_name", "must not be empty"}});
  EXPECT_EQ(error.code(), ErrorCode::invalid_argument);
  EXPECT_STREQ(error.what(), "full_name must not be empty");
  ASSERT_EQ(error.fields().size(), 1u);
  EXPECT_EQ(error.fields()[0].field, "full_name");
  EXPECT_TRUE(error.candidates.empty());
  EXPECT_EQ(error.retry_after_seconds, 0);
}

TEST(ErrorTest, IsCatchableAsRuntimeError) {
  try {
    throw Error(ErrorCode::conflict, "already exists");
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "already exists");
    return;
  }
  FAIL() << "not caught";
}

}  // namespace
}  // namespace courses
