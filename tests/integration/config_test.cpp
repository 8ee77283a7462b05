#include <gtest/gtest.h>

#include "courses/error.hpp"
#include "courses/mariadb/store.hpp"

namespace {

using courses::mariadb::parseUrl;

TEST(ParseUrl, ReadsEveryPart) {
  const auto config = parseUrl("mariadb://qatysu:s%40cret@db.example:3307/qatysu?pool_size=4");
  EXPECT_EQ(config.user, "qatysu");
  EXPECT_EQ(config.password, "s@cret");
  EXPECT_EQ(config.host, "db.example");
  EXPECT_EQ(config.port, 3307u);
  EXPECT_EQ(config.database, "qatysu");
  EXPECT_EQ(config.pool_size, 4);
  EXPECT_EQ(config.connect_timeout_s, 3);
  EXPECT_EQ(config.read_timeout_s, 10);
}

TEST(ParseUrl, DefaultsAndOptionalParts) {
  const auto config = parseUrl("mariadb://root@127.0.0.1:20499");
  EXPECT_EQ(config.user, "root");
  EXPECT_EQ(config.password, "");
  EXPECT_EQ(config.port, 20499u);
  EXPECT_EQ(config.database, "");
  EXPECT_EQ(parseUrl("mariadb://localhost/db").port, 3306u);
  EXPECT_EQ(parseUrl("mariadb://[::1]:3310/db").host, "::1");
  EXPECT_EQ(parseUrl("mariadb://[::1]:3310/db").port, 3310u);
}

TEST(ParseUrl, RejectsMalformedUrls) {
  for (const char* url :
       {"mysql://h/db", "mariadb://", "mariadb://h:0/db", "mariadb://h:70000/db",
        "mariadb://h:x/db", "mariadb://h/db;drop", "mariadb://h/db?pool_size=0",
        "mariadb://h/db?colour=red", "mariadb://u:%zz@h/db", "mariadb://[::1/db"}) {
    try {
      parseUrl(url);
      ADD_FAILURE() << "accepted " << url;
    } catch (const courses::Error& error) {
      EXPECT_EQ(error.code(), courses::ErrorCode::invalid_argument) << url;
    }
  }
}

}  // namespace
