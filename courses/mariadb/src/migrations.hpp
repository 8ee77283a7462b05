#pragma once
// Schema migrations compiled into the library (see cmake/embed_migrations.cmake).

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace courses::mariadb {

struct EmbeddedMigration {
  std::string_view name;  ///< file name without .sql, e.g. "0001_initial"
  std::string_view sql;   ///< the file's text
};

/// Every migration file, in the order they apply.
std::span<const EmbeddedMigration> embeddedMigrations() noexcept;

/// Splits a migration's text into statements at semicolons outside quotes and comments; drops
/// the comments and the empty statements.
std::vector<std::string> splitStatements(std::string_view sql);

/// Checksum recorded for an applied migration: FNV-1a 64 of its text, as 16 hex digits.
std::string migrationChecksum(std::string_view sql);

}  // namespace courses::mariadb
