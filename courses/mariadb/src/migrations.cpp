#include "migrations.hpp"

#include <cctype>
#include <cstdint>
#include <map>

#include "connection.hpp"
#include "courses/error.hpp"
#include "courses/mariadb/store.hpp"
#include "courses/name_match.hpp"
#include "courses/text.hpp"
#include "db_error.hpp"

namespace courses::mariadb {
namespace {

bool isBlank(std::string_view text) {
  for (const char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

bool isPlainIdentifier(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_' && c != '$') return false;
  }
  return true;
}

// "0001_initial" -> 1
unsigned migrationVersion(std::string_view name) {
  unsigned version = 0;
  std::size_t digits = 0;
  while (digits < name.size() && std::isdigit(static_cast<unsigned char>(name[digits])) != 0) {
    version = version * 10 + static_cast<unsigned>(name[digits] - '0');
    ++digits;
  }
  if (digits == 0 || version == 0) {
    logStorage("migration name without a version number: " + std::string(name));
    throw Error(ErrorCode::internal, "storage error");
  }
  return version;
}

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INT UNSIGNED NOT NULL,"
    " name VARCHAR(200) NOT NULL,"
    " checksum CHAR(16) CHARACTER SET ascii NOT NULL,"
    " applied_at DATETIME NOT NULL,"
    " PRIMARY KEY (version)"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci";

// Keys the SQL cannot compute: courses::personNameKey and nameSearchText of every person stored
// before their columns existed (0008) still holding the empty default, a page at a time, each in
// its own transaction. A name that has no key (no letters the rule reads) is skipped, not looped
// on: the pages go by id.
void fillNameKeys(Connection& db) {
  constexpr int kPage = 500;
  Id after = 0;
  for (;;) {
    const Rows rows = db.query(
        "SELECT id, full_name FROM participants WHERE match_key = '' AND id > ? ORDER BY id"
        " LIMIT ?",
        {after, kPage});
    if (rows.empty()) return;
    db.run("START TRANSACTION");
    for (const Row& row : rows) {
      after = row.int64(0);
      const std::string name = row.text(1);
      db.execute("UPDATE participants SET match_key = ?, search_text = ? WHERE id = ?",
                 {personNameKey(name), nameSearchText(name), after});
    }
    db.run("COMMIT");
  }
}

MigrationResult applyMigrations(Connection& db) {
  db.run(kCreateMigrationsTable);
  struct Applied {
    std::string name;
    std::string checksum;
  };
  std::map<unsigned, Applied> applied;
  for (const Row& row : db.query("SELECT version, name, checksum FROM schema_migrations")) {
    applied[static_cast<unsigned>(row.int64(0))] = {row.text(1), row.text(2)};
  }
  MigrationResult result;
  for (const EmbeddedMigration& migration : embeddedMigrations()) {
    const unsigned version = migrationVersion(migration.name);
    const std::string checksum = migrationChecksum(migration.sql);
    if (const auto found = applied.find(version); found != applied.end()) {
      if (found->second.checksum != checksum) {
        logStorage("migration " + std::string(migration.name) + " was applied with checksum " +
                   found->second.checksum + " but its text now has " + checksum);
        throw Error(ErrorCode::internal, "migration " + std::string(migration.name) +
                                             " was changed after it was applied");
      }
      result.already.emplace_back(migration.name);
      continue;
    }
    for (const std::string& statement : splitStatements(migration.sql)) db.run(statement);
    db.execute(
        "INSERT INTO schema_migrations (version, name, checksum, applied_at)"
        " VALUES (?, ?, ?, UTC_TIMESTAMP())",
        {version, migration.name, checksum});
    result.applied.emplace_back(migration.name);
  }
  fillNameKeys(db);
  return result;
}

}  // namespace

std::vector<std::string> splitStatements(std::string_view sql) {
  std::vector<std::string> statements;
  std::string current;
  const auto flush = [&] {
    if (!isBlank(current))
      statements.emplace_back(courses::trim(current, courses::kAsciiWhitespace));
    current.clear();
  };
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    if (c == '-' && next == '-' &&
        (i + 2 >= sql.size() || std::isspace(static_cast<unsigned char>(sql[i + 2])) != 0)) {
      while (i < sql.size() && sql[i] != '\n') ++i;
      continue;
    }
    if (c == '#') {
      while (i < sql.size() && sql[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && next == '*') {
      const auto end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
      current.push_back(' ');
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') {
      // Copy the quoted part as it is; a doubled quote or a backslash escapes the next character.
      current.push_back(c);
      ++i;
      while (i < sql.size()) {
        const char q = sql[i];
        current.push_back(q);
        ++i;
        if (q == '\\' && c != '`' && i < sql.size()) {
          current.push_back(sql[i]);
          ++i;
        } else if (q == c) {
          if (i < sql.size() && sql[i] == c) {
            current.push_back(sql[i]);
            ++i;
          } else {
            break;
          }
        }
      }
      continue;
    }
    if (c == ';') {
      flush();
      ++i;
      continue;
    }
    current.push_back(c);
    ++i;
  }
  flush();
  return statements;
}

std::string migrationChecksum(std::string_view sql) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : sql) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kHex[hash & 0xF];
    hash >>= 4;
  }
  return out;
}

MigrationResult migrate(const Config& config) {
  if (!isPlainIdentifier(config.database)) {
    throw Error(ErrorCode::invalid_argument,
                "the database URL must name a database (letters, digits, '_', '$')");
  }
  try {
    Connection db(config, Connection::Options{.use_database = false, .autocommit = true});
    db.run("CREATE DATABASE IF NOT EXISTS `" + config.database +
           "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci");
    db.run("USE `" + config.database + "`");
    // Several processes may start at once (nodes of a cluster, parallel test runs): they take
    // turns on a named lock. A Galera node refuses named locks; there the operator runs one
    // migration at a time, and the statements' idempotence covers the rest.
    const std::string lock_name = "qatysu_migrate_" + config.database;
    bool locked = false;
    try {
      const Rows got = db.query("SELECT GET_LOCK(?, 120)", {lock_name});
      if (got.empty() || got.front().isNull(0) || got.front().int64(0) != 1) {
        throw Error(ErrorCode::unavailable, "another migration is running; try again later");
      }
      locked = true;
    } catch (const DbError& error) {
      if (isLostConnection(error.code()) || isClientError(error.code())) throw;
      logStorage(std::string(error.what()) + ": no named lock for the migration; going on");
    }
    try {
      MigrationResult result = applyMigrations(db);
      if (locked) db.query("SELECT RELEASE_LOCK(?)", {lock_name});
      return result;
    } catch (...) {
      try {
        if (locked) db.query("SELECT RELEASE_LOCK(?)", {lock_name});
      } catch (...) {
        // Closing the connection releases the lock anyway.
      }
      throw;
    }
  } catch (const DbError& error) {
    throw toDomainError(error);
  }
}

}  // namespace courses::mariadb
