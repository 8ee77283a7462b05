#pragma once
// Prepared statements (MYSQL_STMT) behind RAII, with typed parameters and fully fetched results.

#include <concepts>
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct st_mysql;
struct st_mysql_stmt;

namespace courses::mariadb {

/// One statement parameter: NULL, a 64-bit integer, a double, text or bytes. Text and bytes are
/// not copied: the viewed characters must outlive the execution.
class Param {
 public:
  enum class Kind { null, integer, real, text, bytes };

  Param() = default;
  Param(std::nullptr_t) {}
  Param(std::nullopt_t) {}
  template <std::integral T>
  Param(T value) : kind_(Kind::integer), integer_(static_cast<long long>(value)) {}
  Param(double value) : kind_(Kind::real), real_(value) {}
  Param(std::string_view value) : kind_(Kind::text), text_(value) {}
  Param(const std::string& value) : kind_(Kind::text), text_(value) {}
  Param(const char* value) : kind_(Kind::text), text_(value) {}
  template <typename T>
  Param(const std::optional<T>& value) {
    if (value) *this = Param(*value);
  }

  /// Binary data for a BLOB column: sent as bytes, never read as text in the connection's
  /// character set.
  static Param bytes(std::string_view value) {
    Param p(value);
    p.kind_ = Kind::bytes;
    return p;
  }

  Kind kind() const noexcept { return kind_; }
  const long long& integer() const noexcept { return integer_; }
  const double& real() const noexcept { return real_; }
  std::string_view text() const noexcept { return text_; }

 private:
  Kind kind_ = Kind::null;
  long long integer_ = 0;
  double real_ = 0;
  std::string_view text_;
};

/// One fetched row. Integer columns read as integers, decimal and floating point ones as doubles,
/// everything else as text; DATETIME and TIMESTAMP columns come as "YYYY-MM-DDTHH:MM:SSZ" (the
/// session time zone is UTC). Reading a column as the wrong kind throws Error(internal).
class Row {
 public:
  struct Cell {
    enum class Kind { null, integer, real, text } kind = Kind::null;
    long long integer = 0;
    double real = 0;
    std::string text;
  };

  explicit Row(std::vector<Cell> cells) : cells_(std::move(cells)) {}

  std::size_t size() const noexcept { return cells_.size(); }
  bool isNull(std::size_t column) const;
  long long int64(std::size_t column) const;
  int int32(std::size_t column) const;
  bool boolean(std::size_t column) const { return int64(column) != 0; }
  double real(std::size_t column) const;
  const std::string& text(std::size_t column) const;
  std::optional<long long> optInt64(std::size_t column) const;
  std::optional<std::string> optText(std::size_t column) const;

 private:
  friend class Statement;  // refills one Row per fetched row (Statement::each)
  const Cell& cell(std::size_t column) const;
  std::vector<Cell> cells_;
};

using Rows = std::vector<Row>;

/// What an INSERT, UPDATE or DELETE did. With CLIENT_FOUND_ROWS, affected_rows counts matched rows.
struct ExecResult {
  unsigned long long affected_rows = 0;
  unsigned long long insert_id = 0;
};

/// A statement prepared on one connection. Not thread-safe (neither is the connection).
class Statement {
 public:
  /// Prepares `sql`; throws DbError.
  Statement(st_mysql* mysql, std::string sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  /// Runs a statement that returns no rows.
  ExecResult execute(std::span<const Param> params);
  /// Runs a statement and fetches all of its rows.
  Rows query(std::span<const Param> params);
  /// Runs a statement and hands its rows to `visit` one at a time, as they are fetched: the Row
  /// is refilled for the next one, so nothing is kept that `visit` does not copy. For results too
  /// big to hold as Rows.
  void each(std::span<const Param> params, const std::function<void(const Row&)>& visit);

  const std::string& sql() const noexcept { return sql_; }

 private:
  void bindAndExecute(std::span<const Param> params);
  [[noreturn]] void fail(std::string_view step) const;

  st_mysql* mysql_;
  st_mysql_stmt* stmt_ = nullptr;
  std::string sql_;
};

}  // namespace courses::mariadb
