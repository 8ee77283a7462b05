#include "support/db/test_database.hpp"

#include <mysql.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>

#include "courses/error.hpp"

namespace support::db {
namespace {

using courses::mariadb::Config;

struct MysqlCloser {
  void operator()(MYSQL* mysql) const noexcept { mysql_close(mysql); }
};
using MysqlHandle = std::unique_ptr<MYSQL, MysqlCloser>;

MysqlHandle connect(const Config& config, bool use_database) {
  MysqlHandle mysql(mysql_init(nullptr));
  if (!mysql) throw std::runtime_error("mysql_init failed");
  const unsigned timeout = 10;
  mysql_optionsv(mysql.get(), MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_optionsv(mysql.get(), MYSQL_SET_CHARSET_NAME, "utf8mb4");
  if (mysql_real_connect(mysql.get(), config.host.c_str(),
                         config.user.empty() ? nullptr : config.user.c_str(),
                         config.password.c_str(), use_database ? config.database.c_str() : nullptr,
                         config.port, nullptr, 0) == nullptr) {
    throw std::runtime_error("cannot connect to MariaDB at " + config.host + ":" +
                             std::to_string(config.port) + ": " + mysql_error(mysql.get()));
  }
  return mysql;
}

void run(MYSQL* mysql, std::string_view sql) {
  if (mysql_real_query(mysql, sql.data(), sql.size()) != 0) {
    throw std::runtime_error("SQL failed (" + std::string(mysql_error(mysql)) +
                             "): " + std::string(sql));
  }
}

std::string uniqueName(std::string_view prefix) {
  std::random_device random;
  std::ostringstream name;
  name << prefix << '_' << ::getpid() << '_' << std::hex << random();
  return name.str();
}

}  // namespace

Config testServerConfig() {
  const char* url = std::getenv("QATYSU_TEST_DB_URL");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error(
        "QATYSU_TEST_DB_URL is not set. Integration tests need a MariaDB server they may create "
        "databases on: source deploy/lib/mariadb.sh, start one with mariadb_init and "
        "mariadb_start, then export QATYSU_TEST_DB_URL=mariadb://root@127.0.0.1:PORT "
        "(./deploy/test does all of this).");
  }
  try {
    return courses::mariadb::parseUrl(url);
  } catch (const courses::Error& error) {
    throw std::runtime_error(std::string("QATYSU_TEST_DB_URL is malformed: ") + error.what());
  }
}

TestDatabase::TestDatabase(std::string_view prefix) : config_(testServerConfig()) {
  config_.database = uniqueName(prefix);
  try {
    migration_ = courses::mariadb::migrate(config_);
  } catch (const courses::Error& error) {
    throw std::runtime_error("cannot create and migrate test database " + config_.database +
                             " on " + config_.host + ":" + std::to_string(config_.port) + ": " +
                             error.what());
  }
}

TestDatabase::~TestDatabase() {
  try {
    MysqlHandle mysql = connect(config_, false);
    run(mysql.get(), "DROP DATABASE IF EXISTS `" + config_.database + "`");
  } catch (const std::exception&) {
    // The server may be gone already; a leftover test database is harmless.
  }
}

std::string TestDatabase::url() const {
  std::string text = "mariadb://" + config_.user;
  if (!config_.password.empty()) text += ":" + config_.password;
  text += "@" + config_.host + ":" + std::to_string(config_.port) + "/" + config_.database;
  return text;
}

void TestDatabase::execute(std::string_view sql) const {
  MysqlHandle mysql = connect(config_, true);
  run(mysql.get(), sql);
}

long long TestDatabase::queryInt(std::string_view sql) const {
  MysqlHandle mysql = connect(config_, true);
  run(mysql.get(), sql);
  std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> result(mysql_store_result(mysql.get()),
                                                                  &mysql_free_result);
  if (!result) throw std::runtime_error("no result: " + std::string(sql));
  MYSQL_ROW row = mysql_fetch_row(result.get());
  if (row == nullptr || row[0] == nullptr) return -1;
  return std::stoll(row[0]);
}

std::vector<TestDatabase::Row> TestDatabase::queryRows(std::string_view sql) const {
  MysqlHandle mysql = connect(config_, true);
  run(mysql.get(), sql);
  std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> result(mysql_store_result(mysql.get()),
                                                                  &mysql_free_result);
  if (!result) throw std::runtime_error("no result: " + std::string(sql));
  const unsigned columns = mysql_num_fields(result.get());
  std::vector<Row> rows;
  rows.reserve(static_cast<std::size_t>(mysql_num_rows(result.get())));
  while (MYSQL_ROW row = mysql_fetch_row(result.get())) {
    const unsigned long* lengths = mysql_fetch_lengths(result.get());
    Row values(columns);
    for (unsigned i = 0; i < columns; ++i) {
      if (row[i] != nullptr) values[i] = std::string(row[i], lengths[i]);
    }
    rows.push_back(std::move(values));
  }
  return rows;
}

}  // namespace support::db
