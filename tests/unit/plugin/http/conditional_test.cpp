#include "plugin/http/conditional.hpp"

#include <gtest/gtest.h>

namespace plugin::http {
namespace {

TEST(NoneMatch, OneTagOrAStar) {
  EXPECT_TRUE(noneMatch("\"abc\"", "\"abc\""));
  EXPECT_FALSE(noneMatch("\"abd\"", "\"abc\""));
  EXPECT_TRUE(noneMatch("*", "\"abc\""));
  EXPECT_TRUE(noneMatch(" * ", "\"abc\""));
  EXPECT_FALSE(noneMatch("", "\"abc\""));
  EXPECT_FALSE(noneMatch("  ", "\"abc\""));
}

TEST(NoneMatch, ComparesWeakly) {
  EXPECT_TRUE(noneMatch("W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(noneMatch("\"abc\"", "W/\"abc\""));
  EXPECT_TRUE(noneMatch("W/\"abc\"", "W/\"abc\""));
  EXPECT_FALSE(noneMatch("w/\"abc\"", "\"abc\""));  // the weak prefix is case-sensitive
}

TEST(NoneMatch, ListsWithSpacesAndEmptyItems) {
  EXPECT_TRUE(noneMatch("\"other\", \"abc\"", "\"abc\""));
  EXPECT_TRUE(noneMatch("\"other\",\t W/\"abc\" ", "\"abc\""));
  EXPECT_TRUE(noneMatch(",, \"abc\",", "\"abc\""));
  EXPECT_FALSE(noneMatch("\"other\", \"more\"", "\"abc\""));
}

TEST(NoneMatch, TagsAreReadInTheirQuotedForm) {
  // A comma inside the quotes is part of the tag, not a separator.
  EXPECT_TRUE(noneMatch("\"a,b\"", "\"a,b\""));
  EXPECT_FALSE(noneMatch("\"a,b\"", "\"b\""));
  EXPECT_FALSE(noneMatch("abc", "\"abc\""));            // unquoted is not an entity tag
  EXPECT_FALSE(noneMatch("\"abc", "\"abc\""));          // nor is an unclosed one
  EXPECT_FALSE(noneMatch("\"abc\"x", "\"abc\""));       // nor something glued to it
  EXPECT_FALSE(noneMatch("junk, \"abc\"", "\"abc\""));  // the list stops at the first non-tag
}

TEST(IfMatch, StarOrStrongTagsOnly) {
  EXPECT_TRUE(parseIfMatch("*")->any);
  EXPECT_TRUE(parseIfMatch("  * ")->any);
  const auto list = parseIfMatch("\"v1\", W/\"v2\",\t\"v3\"");
  ASSERT_TRUE(list.has_value());
  EXPECT_FALSE(list->any);
  // If-Match compares strongly: a weak tag can never match, so it is left out.
  EXPECT_EQ(list->tags, (std::vector<std::string_view>{"\"v1\"", "\"v3\""}));
  EXPECT_TRUE(parseIfMatch("W/\"v1\"")->tags.empty());
}

TEST(IfMatch, AnythingElseIsRefused) {
  EXPECT_FALSE(parseIfMatch(""));
  EXPECT_FALSE(parseIfMatch("  "));
  EXPECT_FALSE(parseIfMatch(","));
  EXPECT_FALSE(parseIfMatch("v1"));
  EXPECT_FALSE(parseIfMatch("\"v1"));
  EXPECT_FALSE(parseIfMatch("\"v1\" junk"));
  EXPECT_FALSE(parseIfMatch("*, \"v1\""));
}

}  // namespace
}  // namespace plugin::http
