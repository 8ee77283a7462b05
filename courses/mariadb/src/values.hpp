#pragma once
// Conversions between domain values and column values.

#include <optional>
#include <string>
#include <string_view>

#include "courses/model.hpp"
#include "statement.hpp"

namespace courses::mariadb {

/// "YYYY-MM-DDTHH:MM:SSZ" -> "YYYY-MM-DD HH:MM:SS" for a DATETIME column; Error(invalid_argument)
/// when the text has another shape.
std::string sqlDateTime(std::string_view timestamp);

/// An account id column that is NULL for the system's own work: 0 -> NULL.
inline Param accountParam(Id account_id) {
  return account_id == 0 ? Param() : Param(account_id);
}

/// Reads an account id column written by accountParam: NULL -> 0.
inline Id accountColumn(const Row& row, std::size_t column) {
  return row.isNull(column) ? 0 : row.int64(column);
}

/// Logs and throws Error(internal): a column holds a value the code does not know.
[[noreturn]] void unknownStoredValue(std::string_view column);

/// The enum named by a column; Error(internal) when the stored name is unknown.
template <typename Enum>
Enum storedEnum(std::optional<Enum> parsed, std::string_view column) {
  if (!parsed) [[unlikely]] {
    unknownStoredValue(column);
  }
  return *parsed;
}
/// A VulnerableSet column (TINYINT UNSIGNED).
VulnerableSet vulnerableColumn(const Row& row, std::size_t column);

/// Escapes %, _ and \ so that text matches literally inside LIKE '%…%' (ESCAPE '\\').
std::string likeContains(std::string_view fragment);

}  // namespace courses::mariadb

namespace courses::mariadb {

/// `rows` copies of `row` joined by ", ": repeatRows("(?, ?)", 2) == "(?, ?), (?, ?)".
std::string repeatRows(std::string_view row, std::size_t rows);

/// "CASE key WHEN ? THEN ? … ELSE 0 END" with `rows` WHEN branches: one value per row of a batched
/// UPDATE (parameters: key, value, key, value, …).
std::string caseRows(std::string_view key, std::size_t rows);

/// The smallest power of two not below `rows`: batches padded to it (repeating their last row)
/// reuse a handful of cached statements whatever their size.
std::size_t paddedRows(std::size_t rows) noexcept;

}  // namespace courses::mariadb
