#pragma once
// MariaDB storage for the courses domain: a connection pool, every repository of
// courses/repositories.hpp, readiness pings and schema migrations. The Connector/C types stay in
// the implementation; nothing here includes <mysql.h>.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "courses/data_rights.hpp"
#include "courses/lti.hpp"
#include "courses/merge.hpp"
#include "courses/repositories.hpp"

namespace courses::mariadb {

/// Where and how to connect.
struct Config {
  std::string host = "127.0.0.1";
  unsigned port = 3306;
  std::string user;
  std::string password;
  std::string database;
  int pool_size = 16;         ///< connections kept open at most
  int connect_timeout_s = 3;  ///< TCP connect and handshake
  int read_timeout_s = 10;    ///< waiting for one server answer
  int write_timeout_s = 10;   ///< sending one request
};

/// Parses `mariadb://user:password@host:port/database` (user, password, port and database
/// optional; user and password percent-decoded; host may be `[ipv6]`). Optional query parameters
/// `pool_size`, `connect_timeout`, `read_timeout`, `write_timeout` (seconds) override the defaults.
/// Throws courses::Error(invalid_argument) on anything else.
Config parseUrl(std::string_view url);

/// Owns the connection pool and all repositories. Thread-safe: repositories may be used from any
/// number of threads at once; each call takes a pooled connection for one transaction. The server
/// is contacted lazily, so constructing a Store succeeds while the database is down.
class Store final : public courses::StorageHealth {
 public:
  /// Throws courses::Error(invalid_argument) when the configuration is unusable (no database
  /// name, pool size below 1).
  explicit Store(Config config);
  ~Store() override;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  /// References to the repositories, valid as long as the Store lives.
  courses::Repositories repositories();
  /// Merges of two records of one person and their undoing (courses/merge.hpp).
  courses::MergeRepository& merges();
  /// A person's data rights (courses/data_rights.hpp), valid as long as the Store lives.
  courses::DataRightsRepository& dataRights();
  /// The LTI platforms registered (courses/lti.hpp), valid as long as the Store lives.
  courses::LtiPlatformRepository& ltiPlatforms();

  /// True when a fresh connection to the server completes a round trip within `timeout_ms`
  /// (rounded up to whole seconds for the connector's timeouts). Never waits for the pool.
  bool ping(int timeout_ms) override;

  /// Whole-transaction retries so far (deadlocks, lock wait timeouts, lost connections).
  std::uint64_t transactionRetries() const noexcept;

  /// Recomputes every aggregate the totals read (enrolment_facts, the cohorts' session spans,
  /// the sessions' attended marks) from the raw rows, in one transaction. The service keeps them
  /// exact itself; this is for data written around it (bulk loads, hand repairs).
  void rebuildTotals();
  /// The number of enrolments whose aggregates differ from what the raw rows give (0 when exact),
  /// plus cohorts and sessions that differ.
  long long checkTotals();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Names of the migrations applied by this call and of those found applied before.
struct MigrationResult {
  std::vector<std::string> applied;
  std::vector<std::string> already;
};

/// Creates the database (utf8mb4) when missing and applies the embedded migrations that are not
/// recorded in `schema_migrations`, in order. Idempotent; safe to run from several processes at
/// once (they serialise on a named lock). Throws courses::Error(unavailable) when the server is
/// unreachable and courses::Error(internal) when an applied migration's text changed since.
MigrationResult migrate(const Config& config);

}  // namespace courses::mariadb
