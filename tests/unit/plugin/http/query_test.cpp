#include "plugin/http/query.hpp"

#include <gtest/gtest.h>

namespace plugin::http {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(QueryPairs, KeepsEveryPairInOrderDecoded) {
  EXPECT_EQ(parseQueryPairs("a=1&b=x%20y+z&a=2&&flag"),
            (Pairs{{"a", "1"}, {"b", "x y z"}, {"a", "2"}, {"flag", ""}}));
  EXPECT_EQ(parseQueryPairs(""), Pairs{});
  EXPECT_EQ(parseQueryPairs("%D3%99=%D2%9B"), (Pairs{{"ә", "қ"}}));
}

TEST(QueryPairs, AMalformedEscapeAnywhereIsRefused) {
  EXPECT_FALSE(parseQueryPairs("a=%2"));
  EXPECT_FALSE(parseQueryPairs("a%zz=1"));
}

TEST(QueryPairs, TheQueryOfATarget) {
  EXPECT_EQ(queryOf("/api/v1/totals?by=gender&x=?"), "by=gender&x=?");
  EXPECT_EQ(queryOf("/api/v1/totals"), "");
  EXPECT_EQ(queryOf("/api/v1/totals?"), "");
}

}  // namespace
}  // namespace plugin::http
