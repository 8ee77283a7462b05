#include "courses/mariadb/store.hpp"

#include <chrono>
#include <stdexcept>

#include "connection.hpp"
#include "courses/error.hpp"
#include "db_error.hpp"
#include "pool.hpp"
#include "repositories.hpp"
#include "transaction.hpp"

namespace courses::mariadb {
namespace {

// How long a transaction waits for a free connection before the request fails as unavailable.
constexpr std::chrono::seconds kAcquireTimeout{5};

Config checked(Config config) {
  if (config.database.empty()) {
    throw Error(ErrorCode::invalid_argument, "the database URL must name a database");
  }
  if (config.pool_size < 1)
    throw Error(ErrorCode::invalid_argument, "pool_size must be at least 1");
  if (config.connect_timeout_s < 1 || config.read_timeout_s < 1 || config.write_timeout_s < 1) {
    throw Error(ErrorCode::invalid_argument, "database timeouts must be at least 1 s");
  }
  return config;
}

}  // namespace

struct Store::Impl {
  explicit Impl(Config config)
      : pool(checked(std::move(config)), kAcquireTimeout),
        runner(pool),
        programmes(runner),
        localities(runner),
        courses(runner),
        cohorts(runner),
        participants(runner),
        enrolments(runner),
        attendance(runner),
        accounts(runner),
        certificates(runner),
        totals(runner) {}

  Pool pool;
  TransactionRunner runner;
  SqlProgrammeRepository programmes;
  SqlLocalityRepository localities;
  SqlCourseRepository courses;
  SqlCohortRepository cohorts;
  SqlParticipantRepository participants;
  SqlEnrolmentRepository enrolments;
  SqlAttendanceRepository attendance;
  SqlAccountRepository accounts;
  SqlCertificateRepository certificates;
  SqlTotalsRepository totals;
};

Store::Store(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {
  initLibrary();
}

Store::~Store() = default;

Repositories Store::repositories() {
  return Repositories{impl_->programmes, impl_->localities,   impl_->courses,
                      impl_->cohorts,    impl_->participants, impl_->enrolments,
                      impl_->attendance, impl_->accounts,     impl_->certificates,
                      impl_->totals};
}

// Placeholder: the aggregates' rebuild and check are being written.
void Store::rebuildTotals() { throw std::logic_error("rebuildTotals is not built yet"); }
long long Store::checkTotals() { throw std::logic_error("checkTotals is not built yet"); }

bool Store::ping(int timeout_ms) {
  // A fresh connection with short timeouts: a pooled one could be stuck for its 10 s read
  // timeout, or wait for the pool itself.
  const auto started = std::chrono::steady_clock::now();
  Config config = impl_->pool.config();
  const int seconds = std::max(1, (timeout_ms + 999) / 1000);
  config.connect_timeout_s = seconds;
  config.read_timeout_s = seconds;
  config.write_timeout_s = seconds;
  try {
    Connection connection(config, Connection::Options{.use_database = true, .autocommit = true});
    connection.run("SELECT 1");
  } catch (const DbError&) {
    return false;
  } catch (const std::bad_alloc&) {
    return false;
  }
  return std::chrono::steady_clock::now() - started <= std::chrono::milliseconds(timeout_ms);
}

std::uint64_t Store::transactionRetries() const noexcept {
  return impl_->runner.retries();
}

}  // namespace courses::mariadb
