#include "migrations.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "courses/mariadb/store.hpp"
#include "fixtures.hpp"
#include "support/db/test_database.hpp"

namespace {

TEST(Migrations, ApplyToAnEmptyDatabaseThenAreANoOp) {
  support::db::TestDatabase fresh("qatysu_mig");
  const auto& first = fresh.migration();
  ASSERT_FALSE(first.applied.empty());
  EXPECT_EQ(first.applied.front(), "0001_initial");
  EXPECT_TRUE(first.already.empty());
  const long long recorded = fresh.queryInt("SELECT COUNT(*) FROM schema_migrations");
  EXPECT_EQ(recorded, static_cast<long long>(first.applied.size()));
  const long long tables = fresh.queryInt(
      "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()");

  const auto again = courses::mariadb::migrate(fresh.config());
  EXPECT_TRUE(again.applied.empty());
  EXPECT_EQ(again.already, first.applied);
  EXPECT_EQ(fresh.queryInt("SELECT COUNT(*) FROM schema_migrations"), recorded);
  EXPECT_EQ(fresh.queryInt(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()"),
            tables);
}

TEST(Migrations, ConcurrentRunsApplyEachMigrationOnce) {
  support::db::TestDatabase owner("qatysu_mig");
  auto config = owner.config();
  config.database = owner.name() + "_c";
  std::vector<courses::mariadb::MigrationResult> results(4);
  std::vector<std::thread> threads;
  for (auto& result : results) {
    threads.emplace_back([&config, &result] { result = courses::mariadb::migrate(config); });
  }
  for (auto& thread : threads) thread.join();
  std::size_t applied = 0;
  for (const auto& result : results) {
    applied += result.applied.size();
    EXPECT_EQ(result.applied.size() + result.already.size(),
              courses::mariadb::embeddedMigrations().size());
  }
  EXPECT_EQ(applied, courses::mariadb::embeddedMigrations().size());
  owner.execute("DROP DATABASE `" + config.database + "`");
}

TEST(Migrations, EveryStatementIsIdempotentOnItsOwn) {
  // Running a migration's statements again over an already migrated schema must not fail: that
  // is what makes a migration interrupted half-way safe to run again.
  support::db::TestDatabase fresh("qatysu_mig");
  for (const auto& migration : courses::mariadb::embeddedMigrations()) {
    for (const std::string& statement : courses::mariadb::splitStatements(migration.sql)) {
      EXPECT_NO_THROW(fresh.execute(statement)) << statement;
    }
  }
}

TEST(Migrations, TablesAreInnoDbUtf8mb4) {
  auto& db = integration::database();
  EXPECT_EQ(db.queryInt("SELECT COUNT(*) FROM information_schema.tables"
                        " WHERE table_schema = DATABASE() AND (engine <> 'InnoDB'"
                        " OR table_collation NOT LIKE 'utf8mb4%')"),
            0);
  EXPECT_GE(db.queryInt("SELECT COUNT(*) FROM information_schema.tables"
                        " WHERE table_schema = DATABASE()"),
            15);
}

TEST(Migrations, SplitStatementsKeepsQuotedSemicolonsAndDropsComments) {
  const auto statements = courses::mariadb::splitStatements(
      "-- a comment; not a statement\nCREATE TABLE a (x VARCHAR(3) DEFAULT ';');\n"
      "/* block; comment */ INSERT INTO a VALUES ('it''s; fine');\n\n  ;\n");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0], "CREATE TABLE a (x VARCHAR(3) DEFAULT ';')");
  EXPECT_EQ(statements[1], "INSERT INTO a VALUES ('it''s; fine')");
}

TEST(Migrations, ChecksumIsStable) {
  EXPECT_EQ(courses::mariadb::migrationChecksum(""), "cbf29ce484222325");
  EXPECT_NE(courses::mariadb::migrationChecksum("a"), courses::mariadb::migrationChecksum("b"));
}

}  // namespace
