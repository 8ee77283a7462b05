#pragma once
// Conversions between domain values and column values.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

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

/// A JSON array of rows (arrays of integers, NULLs and plain words) for JSON_TABLE: one statement
/// parameter carries a whole batch, so the statement's text and its parameters do not grow with
/// the batch and the server binds three parameters instead of hundreds.
class JsonRows {
 public:
  using Cell = std::variant<std::nullopt_t, long long, std::string_view>;
  /// Words must be plain ASCII letters, digits and '_' (enum wire names); anything else throws
  /// std::invalid_argument, so that no text ever needs escaping here.
  JsonRows& add(std::initializer_list<Cell> cells);
  bool empty() const noexcept { return rows_ == 0; }
  std::size_t size() const noexcept { return rows_; }
  /// "[[…],[…]]"; "[]" when empty.
  std::string text() const { return "[" + body_ + "]"; }

 private:
  std::string body_;
  std::size_t rows_ = 0;
};

/// The smallest power of two not below `rows`: batches padded to it (repeating their last row)
/// reuse a handful of cached statements whatever their size.
std::size_t paddedRows(std::size_t rows) noexcept;

}  // namespace courses::mariadb
