#include "connection.hpp"

#include <errmsg.h>
#include <mysql.h>

#include <mutex>
#include <new>

#include "db_error.hpp"

namespace courses::mariadb {
namespace {

// READ COMMITTED: the repositories lock what they read when it matters (SELECT … FOR UPDATE), and
// without REPEATABLE READ's gap locks concurrent registrations and attendance sheets deadlock far
// less often. Strict mode: a value that does not fit is an error, never silently cut.
constexpr std::string_view kSessionSetup =
    "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_520_ci, time_zone = '+00:00', "
    "sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
    "NO_ENGINE_SUBSTITUTION'";
// A statement of its own: the variable's name differs between server versions.
constexpr std::string_view kIsolation = "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";

}  // namespace

void initLibrary() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (mysql_library_init(0, nullptr, nullptr) != 0) throw std::bad_alloc();
  });
}

Connection::Connection(const Config& config, Options options) {
  initLibrary();
  mysql_ = mysql_init(nullptr);
  if (mysql_ == nullptr) throw std::bad_alloc();
  const unsigned connect_timeout = static_cast<unsigned>(config.connect_timeout_s);
  const unsigned read_timeout = static_cast<unsigned>(config.read_timeout_s);
  const unsigned write_timeout = static_cast<unsigned>(config.write_timeout_s);
  const my_bool no = 0;
  const unsigned tcp = MYSQL_PROTOCOL_TCP;
  // Reconnecting silently would lose the transaction's state; the pool replaces lost connections.
  if (mysql_optionsv(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout) != 0 ||
      mysql_optionsv(mysql_, MYSQL_OPT_READ_TIMEOUT, &read_timeout) != 0 ||
      mysql_optionsv(mysql_, MYSQL_OPT_WRITE_TIMEOUT, &write_timeout) != 0 ||
      mysql_optionsv(mysql_, MYSQL_OPT_RECONNECT, &no) != 0 ||
      mysql_optionsv(mysql_, MYSQL_OPT_LOCAL_INFILE, &no) != 0 ||
      mysql_optionsv(mysql_, MYSQL_SET_CHARSET_NAME, "utf8mb4") != 0 ||
      (config.host != "localhost" && mysql_optionsv(mysql_, MYSQL_OPT_PROTOCOL, &tcp) != 0)) {
    mysql_close(mysql_);
    throw DbError(CR_UNKNOWN_ERROR, "HY000", "could not set connection options");
  }
  const char* database =
      options.use_database && !config.database.empty() ? config.database.c_str() : nullptr;
  if (mysql_real_connect(
          mysql_, config.host.c_str(), config.user.empty() ? nullptr : config.user.c_str(),
          config.password.c_str(), database, config.port, nullptr, CLIENT_FOUND_ROWS) == nullptr) {
    DbError error(mysql_errno(mysql_), mysql_sqlstate(mysql_),
                  redactQuoted(mysql_error(mysql_)) + " [connect to " + config.host + ":" +
                      std::to_string(config.port) + "]");
    mysql_close(mysql_);
    throw error;
  }
  try {
    run(kSessionSetup);
    run(kIsolation);
    if (mysql_autocommit(mysql_, options.autocommit ? 1 : 0) != 0) fail("autocommit");
  } catch (...) {
    mysql_close(mysql_);
    throw;
  }
}

Connection::~Connection() {
  statements_.clear();  // statements close before their connection
  mysql_close(mysql_);
}

void Connection::fail(std::string_view step, std::string_view sql) const {
  throw DbError(
      mysql_errno(mysql_), mysql_sqlstate(mysql_),
      redactQuoted(mysql_error(mysql_)) + " [" + std::string(step) + "] " + std::string(sql));
}

Statement& Connection::prepare(std::string_view sql) {
  if (const auto found = statements_.find(sql); found != statements_.end()) return *found->second;
  if (statements_.size() >= kMaxCachedStatements) statements_.clear();
  auto statement = std::make_unique<Statement>(mysql_, std::string(sql));
  Statement& ref = *statement;
  statements_.emplace(std::string(sql), std::move(statement));
  return ref;
}

void Connection::run(std::string_view sql) {
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) fail("query", sql);
  // Drain any result so the connection is ready for the next command.
  if (MYSQL_RES* result = mysql_store_result(mysql_); result != nullptr) {
    mysql_free_result(result);
  } else if (mysql_errno(mysql_) != 0) {
    fail("store_result", sql);
  }
}

void Connection::begin() {
  run("START TRANSACTION");
}

void Connection::commit() {
  if (mysql_commit(mysql_) != 0) fail("commit");
}

void Connection::rollback() {
  if (mysql_rollback(mysql_) != 0) fail("rollback");
}

unsigned long Connection::threadId() const noexcept {
  return mysql_thread_id(mysql_);
}

}  // namespace courses::mariadb
