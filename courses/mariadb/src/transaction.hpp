#pragma once
// Runs a function as one transaction on a pooled connection, retrying the whole transaction on
// transient conflicts and on connections found dead before COMMIT was sent.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#include "connection.hpp"
#include "pool.hpp"

namespace courses::mariadb {

/// The statements of one transaction (TransactionRunner::run: between BEGIN and COMMIT on one
/// connection), of one read (TransactionRunner::read: each statement on its own) or the one
/// statement of TransactionRunner::single.
class Tx {
 public:
  explicit Tx(Connection& connection, bool one_statement = false)
      : connection_(connection), one_statement_(one_statement) {}

  Rows query(std::string_view sql, std::span<const Param> params) {
    return prepare(sql).query(params);
  }
  Rows query(std::string_view sql, std::initializer_list<Param> params = {}) {
    return query(sql, std::span<const Param>(params.begin(), params.size()));
  }
  /// The first row, if any.
  std::optional<Row> queryOne(std::string_view sql, std::initializer_list<Param> params = {}) {
    Rows rows = query(sql, params);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }
  /// Hands the rows to `visit` one at a time (Statement::each).
  void each(std::string_view sql, std::span<const Param> params,
            const std::function<void(const Row&)>& visit) {
    prepare(sql).each(params, visit);
  }
  ExecResult execute(std::string_view sql, std::span<const Param> params) {
    return prepare(sql).execute(params);
  }
  ExecResult execute(std::string_view sql, std::initializer_list<Param> params = {}) {
    return execute(sql, std::span<const Param>(params.begin(), params.size()));
  }
  Connection& connection() noexcept { return connection_; }

  /// Statements handed to the server so far (counted once prepared, before they are sent).
  int sent() const noexcept { return sent_; }

 private:
  Statement& prepare(std::string_view sql) {
    if (one_statement_ && sent_ > 0) {
      throw std::logic_error("TransactionRunner::single runs one statement only");
    }
    Statement& statement = connection_.prepare(sql);
    ++sent_;
    return statement;
  }

  Connection& connection_;
  bool one_statement_;
  int sent_ = 0;
};

/// Thrown by a transaction body to have the whole transaction rolled back and run again (e.g.
/// after losing a race on a unique key whose winner the next attempt will see).
class RetryTransaction : public std::exception {
 public:
  const char* what() const noexcept override { return "retry transaction"; }
};

struct RetryPolicy {
  int max_attempts = 5;                     ///< for deadlocks and lock wait timeouts
  int max_reconnects = 3;                   ///< fresh connections after lost ones
  std::chrono::milliseconds base_delay{5};  ///< first backoff, doubled each attempt
  std::chrono::milliseconds max_delay{250};
};

class TransactionRunner {
 public:
  explicit TransactionRunner(Pool& pool, RetryPolicy policy = {}) : pool_(pool), policy_(policy) {}

  /// Runs `body(Tx&)` and commits; returns what body returned. Retries the whole body on 1213,
  /// 1205, 1047 and 1615 with exponential backoff and jitter, and on a connection lost before
  /// COMMIT with a fresh connection. A connection lost during COMMIT throws
  /// Error(unavailable, "outcome unknown…"). DbErrors leave as courses::Error (see
  /// toDomainError); a body's own exceptions roll back and propagate unchanged.
  template <typename Body>
  auto run(Body&& body) -> std::invoke_result_t<Body&, Tx&> {
    return dispatch(Mode::transaction, body);
  }

  /// Runs a body that only reads, without BEGIN and COMMIT: each statement is its own
  /// transaction. Under READ COMMITTED a transaction would not make its statements see one
  /// snapshot either, so this only saves the two round trips. Retried like run().
  template <typename Body>
  auto read(Body&& body) -> std::invoke_result_t<Body&, Tx&> {
    return dispatch(Mode::read, body);
  }

  /// Runs a body that only reads, in one REPEATABLE READ, READ ONLY transaction started WITH
  /// CONSISTENT SNAPSHOT: all its statements see the database as it was at the start, whatever
  /// commits meanwhile. Retried like run().
  template <typename Body>
  auto snapshot(Body&& body) -> std::invoke_result_t<Body&, Tx&> {
    return dispatch(Mode::snapshot, body);
  }

  /// Runs a body of exactly one statement in autocommit: the statement is its own transaction
  /// (its foreign keys and RETURNING included), so there is no BEGIN or COMMIT round trip. A
  /// second statement throws std::logic_error. Retried like run() on conflicts and on a
  /// connection lost before the statement was sent; a connection lost after it was sent throws
  /// Error(unavailable, "outcome unknown…"), as a lost COMMIT does.
  template <typename Body>
  auto single(Body&& body) -> std::invoke_result_t<Body&, Tx&> {
    return dispatch(Mode::single, body);
  }

  /// Whole-transaction retries so far.
  std::uint64_t retries() const noexcept { return retries_.load(std::memory_order_relaxed); }

  Pool& pool() noexcept { return pool_; }

 private:
  enum class Mode { transaction, read, snapshot, single };

  template <typename Body>
  auto dispatch(Mode mode, Body& body) -> std::invoke_result_t<Body&, Tx&> {
    using Result = std::invoke_result_t<Body&, Tx&>;
    if constexpr (std::is_void_v<Result>) {
      runErased(mode, [&](Tx& tx) { body(tx); });
    } else {
      std::optional<Result> result;
      runErased(mode, [&](Tx& tx) { result.emplace(body(tx)); });
      return std::move(*result);
    }
  }

  void runErased(Mode mode, const std::function<void(Tx&)>& body);
  void backoff(int attempt) const;

  Pool& pool_;
  RetryPolicy policy_;
  std::atomic<std::uint64_t> retries_{0};
};

}  // namespace courses::mariadb
