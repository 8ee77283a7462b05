#include "migrations.hpp"

#include <gtest/gtest.h>

#include <string_view>
#include <thread>
#include <vector>

#include "connection.hpp"
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

TEST(Migrations, CertificatesUpgradeADatabaseHoldingEarlierData) {
  // A database migrated before certificates existed, with a course and an account in it.
  support::db::TestDatabase owner("qatysu_mig");
  auto config = owner.config();
  config.database = owner.name() + "_u";
  owner.execute("CREATE DATABASE `" + config.database + "` CHARACTER SET utf8mb4");
  {
    courses::mariadb::Connection db(config, {.use_database = true, .autocommit = true});
    db.run(
        "CREATE TABLE schema_migrations (version INT UNSIGNED NOT NULL, name VARCHAR(200) NOT "
        "NULL, checksum CHAR(16) CHARACTER SET ascii NOT NULL, applied_at DATETIME NOT NULL,"
        " PRIMARY KEY (version)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
    unsigned version = 0;
    for (const auto& migration : courses::mariadb::embeddedMigrations()) {
      if (std::string_view(migration.name) == "0003_certificates") break;
      for (const std::string& statement : courses::mariadb::splitStatements(migration.sql)) {
        db.run(statement);
      }
      db.execute("INSERT INTO schema_migrations VALUES (?, ?, ?, UTC_TIMESTAMP())",
                 {++version, migration.name, courses::mariadb::migrationChecksum(migration.sql)});
    }
    ASSERT_EQ(version, 2u);
    db.run("INSERT INTO accounts (login, role, created_at) VALUES ('old-admin', 'admin', NOW())");
    db.run(
        "INSERT INTO programmes (code, title_kk, title_ru, title_en, donor, starts_on, ends_on)"
        " VALUES ('OLD', 'a', 'b', 'c', 'EU', '2017-01-01', '2018-01-01')");
    db.run(
        "INSERT INTO courses (programme_id, track, title_kk, title_ru, title_en, hours,"
        " min_attendance_percent, excused_counts, require_all, gives_certificate)"
        " SELECT id, 'entrepreneurship', 'a', 'b', 'c', 8, 80, 1, 0, 1 FROM programmes");
  }

  const auto result = courses::mariadb::migrate(config);
  ASSERT_EQ(result.applied.size(), courses::mariadb::embeddedMigrations().size() - 2);
  EXPECT_EQ(result.applied.front(), "0003_certificates");
  EXPECT_EQ(result.already.size(), 2u);
  {
    courses::mariadb::Connection db(config, {.use_database = true, .autocommit = true});
    const auto course = db.query("SELECT certificate_language FROM courses");
    ASSERT_EQ(course.size(), 1u);
    EXPECT_EQ(course[0].text(0), "all");
    const auto account = db.query("SELECT display_name FROM accounts WHERE login = 'old-admin'");
    ASSERT_EQ(account.size(), 1u);
    EXPECT_EQ(account[0].text(0), "");
  }
  EXPECT_TRUE(courses::mariadb::migrate(config).applied.empty());
  owner.execute("DROP DATABASE `" + config.database + "`");
}

TEST(Migrations, CertificateTablesKeepBlobsApartAndOneValidPerEnrolment) {
  auto& db = integration::database();
  EXPECT_EQ(db.queryInt("SELECT COUNT(*) FROM information_schema.columns"
                        " WHERE table_schema = DATABASE() AND data_type LIKE '%blob'"
                        " AND NOT (table_name = 'certificate_files' AND column_name = 'pdf')"),
            0);
  EXPECT_EQ(db.queryInt("SELECT COUNT(*) FROM information_schema.statistics"
                        " WHERE table_schema = DATABASE() AND table_name = 'certificates'"
                        " AND index_name = 'uq_certificates_valid_enrolment' AND non_unique = 0"
                        " AND column_name = 'valid_enrolment_id'"),
            1);
  // Certificates of about 1 MB fit in one statement.
  EXPECT_GE(db.queryInt("SELECT @@max_allowed_packet"), 4 * 1024 * 1024);
}

}  // namespace
