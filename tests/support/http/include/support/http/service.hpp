#pragma once
// The real service for functional tests: a uniquely named database on the MariaDB server named by
// QATYSU_TEST_DB_URL, migrated with `qatysu migrate`, accounts made with `qatysu user add`, and a
// `qatysu-server` process on a free port that is stopped (SIGTERM, then SIGKILL) at the end.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/http/client.hpp"
#include "support/http/process.hpp"

namespace support::http {

/// A MariaDB server to create test databases on.
struct DbServer {
  std::string user = "root";
  std::string password;
  std::string host = "127.0.0.1";
  std::uint16_t port = 3306;

  /// Parses "mariadb://user[:password]@host:port" (a trailing "/" or database part is ignored).
  /// Throws std::invalid_argument.
  static DbServer fromUrl(std::string_view url);
  /// "mariadb://user[:password]@host:port/<database>".
  std::string url(std::string_view database) const;
  /// Runs `sql` with the mariadb client (in `database` when given; tab-separated output without
  /// column names); the result of the run (exit code, output).
  ProcessResult execute(std::string_view sql, std::string_view database = {}) const;
};

/// The server named by QATYSU_TEST_DB_URL. Throws std::runtime_error with a message saying how
/// to set it when the variable is missing or malformed.
DbServer testDbServer();

/// Directory holding the qatysu and qatysu-server binaries (set at build time).
std::filesystem::path binDir();

/// A database created with a unique name and dropped on destruction.
class TestDatabase {
 public:
  TestDatabase(DbServer server, std::string_view prefix);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& name() const noexcept { return name_; }
  /// The URL qatysu and qatysu-server get in QATYSU_DB_URL.
  std::string url() const { return server_.url(name_); }
  const DbServer& server() const noexcept { return server_; }
  /// The first column of the first row of `sql` run in this database (for looking at what the
  /// API cannot show, e.g. audit rows). Throws std::runtime_error when the query fails.
  std::string scalar(std::string_view sql) const;

 private:
  DbServer server_;
  std::string name_;
};

/// Runs the `qatysu` command with QATYSU_DB_URL=`db_url` and `input` on standard input.
ProcessResult runCli(const std::vector<std::string>& args, const std::string& db_url,
                     std::string_view input = {});

/// A running qatysu-server. The constructor returns once it printed
/// "listening on http://ADDR:PORT"; it throws std::runtime_error with the server's output when
/// that does not happen within `startup_timeout`.
class ServerProcess {
 public:
  /// `settings` are extra config keys (key, value) written to the --config file after
  /// http.address=127.0.0.1 and http.port=0. Unless `settings` name one, the certificate signing
  /// key is kept in the server's own temporary directory (certificates.key_file), so a test run
  /// never writes a key anywhere else.
  ServerProcess(std::string db_url, std::vector<std::pair<std::string, std::string>> settings = {},
                std::chrono::seconds startup_timeout = std::chrono::seconds(30));
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& host() const noexcept { return host_; }
  std::uint16_t port() const noexcept { return port_; }
  /// A client for this server (no token).
  Client client() const { return Client(host_, port_); }

  /// SIGTERM, then SIGKILL after `grace`; the exit code.
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  bool running() { return child_ && child_->running(); }
  pid_t pid() const noexcept { return child_ ? child_->pid() : -1; }
  /// stdout and stderr so far, for failure messages.
  std::string output() const;
  /// The server's private temporary directory (config, logs, default signing key).
  const std::filesystem::path& directory() const noexcept { return dir_.path(); }

 private:
  TempDir dir_;
  std::unique_ptr<ChildProcess> child_;
  std::string host_;
  std::uint16_t port_ = 0;
};

/// A signed-in account of the test service.
struct Account {
  std::string login;
  std::string password;
  std::string role;
  long long id = 0;
  std::string token;
};

/// Database + migrations + server: what one functional test suite runs against.
class TestService {
 public:
  /// Creates and migrates a database on `server`; starts nothing yet.
  TestService(DbServer server, std::string_view prefix);
  /// Same on testDbServer().
  explicit TestService(std::string_view prefix);

  /// `qatysu user add --role ROLE --login LOGIN [extra…]`, password on stdin. Throws on failure.
  void addAccount(const std::string& role, const std::string& login, const std::string& password,
                  const std::vector<std::string>& extra_args = {});
  /// Starts qatysu-server on a free port.
  void start(std::vector<std::pair<std::string, std::string>> settings = {});
  void stop();

  /// POST /api/v1/auth/login; returns the account with id and token. Throws on anything but 200.
  Account login(const std::string& login, const std::string& password) const;

  /// Adds the account and signs it in.
  Account createAccount(const std::string& role, const std::string& login,
                        const std::vector<std::string>& extra_args = {});

  Client client() const;
  ServerProcess& server() { return *server_; }
  TestDatabase& database() { return database_; }

 private:
  TestDatabase database_;
  std::unique_ptr<ServerProcess> server_;
};

}  // namespace support::http
