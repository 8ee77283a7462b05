#pragma once
// One MariaDB connection (MYSQL*) behind RAII, with its cache of prepared statements.

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "courses/mariadb/store.hpp"
#include "statement.hpp"

struct st_mysql;

namespace courses::mariadb {

/// Initialises the connector library once per process; called before the first connection.
void initLibrary();

class Connection {
 public:
  struct Options {
    bool use_database = true;  ///< select config.database on connect
    bool autocommit = true;    ///< on: a statement outside BEGIN … COMMIT commits by itself
  };

  /// Connects with the configured timeouts, utf8mb4, UTC session time zone, strict SQL mode and
  /// READ COMMITTED isolation. Throws DbError.
  Connection(const Config& config, Options options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// The statement for `sql`, prepared on first use and cached for the connection's lifetime.
  Statement& prepare(std::string_view sql);

  Rows query(std::string_view sql, std::span<const Param> params) {
    return prepare(sql).query(params);
  }
  Rows query(std::string_view sql, std::initializer_list<Param> params = {}) {
    return prepare(sql).query(std::span<const Param>(params.begin(), params.size()));
  }
  /// See Statement::each.
  void each(std::string_view sql, std::span<const Param> params,
            const std::function<void(const Row&)>& visit) {
    prepare(sql).each(params, visit);
  }
  ExecResult execute(std::string_view sql, std::span<const Param> params) {
    return prepare(sql).execute(params);
  }
  ExecResult execute(std::string_view sql, std::initializer_list<Param> params = {}) {
    return prepare(sql).execute(std::span<const Param>(params.begin(), params.size()));
  }

  /// Runs SQL text that carries no values (DDL, SET, locks) without preparing it.
  void run(std::string_view sql);

  /// Starts a transaction (START TRANSACTION); commit() or rollback() ends it.
  void begin();
  void commit();
  void rollback();

  /// Forgets the prepared statements (after the server asked to re-prepare).
  void clearStatements() noexcept { statements_.clear(); }

  /// The server's id for this connection (for KILL in tests and in logs).
  unsigned long threadId() const noexcept;

 private:
  [[noreturn]] void fail(std::string_view step, std::string_view sql = {}) const;

  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  // Bounds the cache (multi-row statements are cached per row count) well below the server's
  // max_prepared_stmt_count (16382) shared by every connection: 16 connections × 256.
  static constexpr std::size_t kMaxCachedStatements = 256;

  st_mysql* mysql_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Statement>, TextHash, std::equal_to<>>
      statements_;
};

}  // namespace courses::mariadb
