#include "transaction.hpp"

#include <mysqld_error.h>

#include <algorithm>
#include <random>
#include <thread>

#include "courses/error.hpp"
#include "db_error.hpp"

namespace courses::mariadb {
namespace {

constexpr const char* kOutcomeUnknown =
    "outcome unknown: the storage connection was lost while committing; check before retrying";

// Rolls back after a failed attempt; false when the connection is unusable afterwards.
bool rollbackQuietly(Connection& connection) noexcept {
  try {
    connection.rollback();
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace

void TransactionRunner::backoff(int attempt) const {
  thread_local std::minstd_rand random{std::random_device{}()};
  const long long cap_ms = std::min<long long>(
      policy_.max_delay.count(), policy_.base_delay.count() * (1LL << std::min(attempt, 16)));
  // Half fixed, half random: colliding transactions spread out instead of colliding again.
  const long long half_us = cap_ms * 1000 / 2;
  std::uniform_int_distribution<long long> jitter(0, half_us);
  std::this_thread::sleep_for(std::chrono::microseconds(half_us + jitter(random)));
}

void TransactionRunner::runErased(Mode mode, const std::function<void(Tx&)>& body) {
  int conflicts = 0;
  int reconnects = 0;
  while (true) {
    Lease lease = [&] {
      try {
        return pool_.acquire();
      } catch (const DbError& error) {
        throw toDomainError(error);
      }
    }();
    Tx tx(*lease, mode == Mode::single);
    bool retry = false;
    try {
      if (mode == Mode::transaction) lease->begin();
      if (mode == Mode::snapshot) {
        // SET TRANSACTION (without SESSION) applies to the next transaction only; the
        // connection's READ COMMITTED default returns after it.
        lease->run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        lease->run("START TRANSACTION WITH CONSISTENT SNAPSHOT");
      }
      body(tx);
    } catch (const DbError& error) {
      const unsigned code = error.code();
      if (isLostConnection(code) || isClientError(code)) {
        lease.discard();
        pool_.discardIdle();
        if (mode == Mode::single && tx.sent() > 0 && isLostConnection(code)) {
          logStorage(std::string(error.what()) + " during an autocommit write: " + error.detail());
          throw Error(ErrorCode::unavailable, kOutcomeUnknown);
        }
        if (isLostConnection(code) && ++reconnects < policy_.max_reconnects) {
          retries_.fetch_add(1, std::memory_order_relaxed);
          continue;
        }
        throw toDomainError(error);
      }
      if (!rollbackQuietly(*lease)) lease.discard();
      if (isRetryable(code) && ++conflicts < policy_.max_attempts) {
        if (code == ER_NEED_REPREPARE || code == ER_MAX_PREPARED_STMT_COUNT_REACHED) {
          lease->clearStatements();
        }
        retries_.fetch_add(1, std::memory_order_relaxed);
        retry = true;
      } else {
        throw toDomainError(error);
      }
    } catch (const RetryTransaction&) {
      if (!rollbackQuietly(*lease)) lease.discard();
      if (++conflicts >= policy_.max_attempts) {
        throw Error(ErrorCode::unavailable, "storage is busy; try again later");
      }
      retries_.fetch_add(1, std::memory_order_relaxed);
      retry = true;
    } catch (...) {
      if (!rollbackQuietly(*lease)) lease.discard();
      throw;
    }
    if (retry) {
      backoff(conflicts);
      continue;
    }
    if (mode == Mode::read || mode == Mode::single) return;

    try {
      lease->commit();
      return;
    } catch (const DbError& error) {
      const unsigned code = error.code();
      if (isLostConnection(code) || isClientError(code)) {
        lease.discard();
        pool_.discardIdle();
        logStorage(std::string(error.what()) + " during COMMIT: " + error.detail());
        throw Error(ErrorCode::unavailable, kOutcomeUnknown);
      }
      if (!rollbackQuietly(*lease)) lease.discard();
      // A cluster rejects a transaction at COMMIT on a certification conflict (1213): nothing
      // was applied, so running it again is safe.
      if (isRetryable(code) && ++conflicts < policy_.max_attempts) {
        retries_.fetch_add(1, std::memory_order_relaxed);
        backoff(conflicts);
        continue;
      }
      throw toDomainError(error);
    }
  }
}

}  // namespace courses::mariadb
