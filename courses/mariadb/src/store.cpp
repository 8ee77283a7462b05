#include "courses/mariadb/store.hpp"

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "connection.hpp"
#include "courses/error.hpp"
#include "data_rights_repository.hpp"
#include "db_error.hpp"
#include "lti_repository.hpp"
#include "migrations.hpp"
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

// Rebuilding and checking the aggregates read every attendance row: minutes on a big database,
// far beyond the pool's read timeout, so they run on a connection of their own.
constexpr int kMaintenanceTimeoutS = 3600;

Connection maintenanceConnection(Config config) {
  config.read_timeout_s = kMaintenanceTimeoutS;
  config.write_timeout_s = kMaintenanceTimeoutS;
  return Connection(config, Connection::Options{.use_database = true, .autocommit = true});
}

// The back-fill of migration 0004: the statements that copy the totals_*_counts views (the
// aggregates as the raw rows give them) into the aggregates, in their order (sessions before the
// cohorts that count delivered sessions), then 0009's removal of the rows the views no longer
// count. Taken from the migrations themselves so that the two never drift apart.
std::vector<std::string> totalsBackfill() {
  std::vector<std::string> out;
  for (const EmbeddedMigration& migration : embeddedMigrations()) {
    const bool first = migration.name == "0004_totals";
    if (!first && migration.name != "0009_corrections") continue;
    for (std::string& statement : splitStatements(migration.sql)) {
      if ((first && (statement.starts_with("UPDATE ") || statement.starts_with("INSERT "))) ||
          (!first && statement.starts_with("DELETE "))) {
        out.push_back(std::move(statement));
      }
    }
  }
  if (out.size() != 4) {
    logStorage(
        "migrations 0004_totals and 0009_corrections do not hold the four back-fill statements");
    throw Error(ErrorCode::internal, "storage error");
  }
  return out;
}

// Rows of the aggregates that differ from the views: enrolments (missing, stray or different),
// sessions and cohorts.
constexpr std::string_view kCheckTotals =
    "SELECT CAST("
    " (SELECT COUNT(*) FROM totals_enrolment_counts v"
    "  LEFT JOIN enrolment_facts f ON f.enrolment_id = v.enrolment_id"
    "  WHERE f.enrolment_id IS NULL OR f.programme_id <> v.programme_id"
    "  OR f.participant_id <> v.participant_id OR f.cohort_id <> v.cohort_id"
    "  OR f.gender <> v.gender OR f.birth_year <> v.birth_year OR f.locality_id <> v.locality_id"
    "  OR f.affiliation <> v.affiliation OR f.vulnerable <> v.vulnerable"
    "  OR f.attended <> v.attended OR f.excused <> v.excused OR f.marked <> v.marked"
    "  OR f.attended_minutes <> v.attended_minutes OR f.certified <> v.certified"
    "  OR f.waived <> v.waived)"
    " + (SELECT COUNT(*) FROM enrolment_facts f"
    "  LEFT JOIN totals_enrolment_counts v ON v.enrolment_id = f.enrolment_id"
    "  WHERE v.enrolment_id IS NULL)"
    " + (SELECT COUNT(*) FROM sessions s JOIN totals_session_counts v ON v.session_id = s.id"
    "  WHERE s.attended_marks <> v.attended_marks)"
    " + (SELECT COUNT(*) FROM cohorts c JOIN totals_cohort_counts v ON v.cohort_id = c.id"
    "  WHERE c.session_count <> v.session_count"
    "  OR NOT (c.first_session_at <=> v.first_session_at)"
    "  OR NOT (c.last_session_at <=> v.last_session_at)"
    "  OR c.delivered_sessions <> v.delivered_sessions)"
    " AS SIGNED)";

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
        totals(runner),
        changes(runner),
        merges(runner, changes),
        data_rights(runner),
        lti_platforms(runner) {}

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
  SqlChangeLogRepository changes;
  SqlMergeRepository merges;
  SqlDataRightsRepository data_rights;
  SqlLtiPlatformRepository lti_platforms;
};

Store::Store(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {
  initLibrary();
}

Store::~Store() = default;

Repositories Store::repositories() {
  return Repositories{impl_->programmes,   impl_->localities, impl_->courses,    impl_->cohorts,
                      impl_->participants, impl_->enrolments, impl_->attendance, impl_->accounts,
                      impl_->certificates, impl_->totals,     impl_->changes};
}

MergeRepository& Store::merges() {
  return impl_->merges;
}

courses::DataRightsRepository& Store::dataRights() {
  return impl_->data_rights;
}

courses::LtiPlatformRepository& Store::ltiPlatforms() {
  return impl_->lti_platforms;
}

void Store::rebuildTotals() {
  const std::vector<std::string> statements = totalsBackfill();
  try {
    Connection connection = maintenanceConnection(impl_->pool.config());
    connection.begin();
    for (const std::string& statement : statements) connection.run(statement);
    connection.commit();
  } catch (const DbError& error) {
    throw toDomainError(error);
  }
}

long long Store::checkTotals() {
  try {
    Connection connection = maintenanceConnection(impl_->pool.config());
    return connection.query(kCheckTotals).at(0).int64(0);
  } catch (const DbError& error) {
    throw toDomainError(error);
  }
}

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
