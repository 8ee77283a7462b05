#pragma once
// A throwaway database for integration tests: created with a unique name on the MariaDB server
// named by QATYSU_TEST_DB_URL (mariadb://root@127.0.0.1:PORT, no database part), migrated, and
// dropped when the object goes away.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "courses/mariadb/store.hpp"

namespace support::db {

/// The server named by QATYSU_TEST_DB_URL. Throws std::runtime_error saying how to set the
/// variable when it is missing or malformed.
courses::mariadb::Config testServerConfig();

class TestDatabase {
 public:
  /// Creates `<prefix>_<pid>_<random>` and applies the migrations. Throws std::runtime_error.
  explicit TestDatabase(std::string_view prefix = "qatysu_test");
  /// Drops the database.
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  /// Connection settings for the test database.
  const courses::mariadb::Config& config() const noexcept { return config_; }
  const std::string& name() const noexcept { return config_.database; }
  /// mariadb://user[:password]@host:port/<name>
  std::string url() const;
  /// What the first migrate() applied.
  const courses::mariadb::MigrationResult& migration() const noexcept { return migration_; }

  /// Runs SQL text on the test database over a new connection (test set-up and checks only;
  /// the text must not carry user data).
  void execute(std::string_view sql) const;
  /// The first column of the first row as an integer (NULL or no row: -1).
  long long queryInt(std::string_view sql) const;

  /// One result row: each column as the server's text, empty for NULL.
  using Row = std::vector<std::optional<std::string>>;
  /// Every row of a query's result, in the order the server returns them (test checks that read
  /// raw rows; the text must not carry user data).
  std::vector<Row> queryRows(std::string_view sql) const;

 private:
  courses::mariadb::Config config_;
  courses::mariadb::MigrationResult migration_;
};

}  // namespace support::db
