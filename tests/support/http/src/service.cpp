#include "support/http/service.hpp"

#include <signal.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <random>
#include <regex>
#include <stdexcept>
#include <thread>

#ifndef QATYSU_TEST_BIN_DIR
#error "QATYSU_TEST_BIN_DIR must name the directory of qatysu and qatysu-server"
#endif

namespace support::http {

namespace {

std::string randomSuffix() {
  static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::random_device device;
  std::mt19937_64 engine(device());
  std::uniform_int_distribution<std::size_t> pick(0, sizeof kDigits - 2);
  std::string text;
  for (int i = 0; i < 8; ++i) text += kDigits[pick(engine)];
  return text;
}

}  // namespace

DbServer DbServer::fromUrl(std::string_view url) {
  constexpr std::string_view kScheme = "mariadb://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    throw std::invalid_argument("expected mariadb://user@host:port, got '" + std::string(url) +
                                "'");
  }
  std::string_view rest = url.substr(kScheme.size());
  rest = rest.substr(0, rest.find('/'));
  DbServer server;
  auto at = rest.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view credentials = rest.substr(0, at);
    rest = rest.substr(at + 1);
    auto colon = credentials.find(':');
    server.user = std::string(credentials.substr(0, colon));
    if (colon != std::string_view::npos) server.password = credentials.substr(colon + 1);
  }
  auto colon = rest.rfind(':');
  server.host = std::string(rest.substr(0, colon));
  if (colon != std::string_view::npos) {
    int port = std::atoi(std::string(rest.substr(colon + 1)).c_str());
    if (port <= 0 || port > 65535) {
      throw std::invalid_argument("bad port in '" + std::string(url) + "'");
    }
    server.port = static_cast<std::uint16_t>(port);
  }
  if (server.host.empty() || server.user.empty()) {
    throw std::invalid_argument("expected mariadb://user@host:port, got '" + std::string(url) +
                                "'");
  }
  return server;
}

std::string DbServer::url(std::string_view database) const {
  std::string text = "mariadb://" + user;
  if (!password.empty()) text += ":" + password;
  text += "@" + host + ":" + std::to_string(port) + "/" + std::string(database);
  return text;
}

ProcessResult DbServer::execute(std::string_view sql, std::string_view database) const {
  Environment env;
  if (!password.empty()) env.emplace_back("MYSQL_PWD", password);
  std::vector<std::string> argv{"mariadb",
                                "--no-defaults",
                                "--protocol=TCP",
                                "-h",
                                host,
                                "-P",
                                std::to_string(port),
                                "-u",
                                user,
                                "--connect-timeout=5",
                                "--batch",
                                "--skip-column-names",
                                "-e",
                                std::string(sql)};
  if (!database.empty()) argv.emplace_back(database);
  return runProcess(argv, env, {}, std::chrono::seconds(60));
}

DbServer testDbServer() {
  const char* url = std::getenv("QATYSU_TEST_DB_URL");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error(
        "QATYSU_TEST_DB_URL is not set. Functional tests need a MariaDB server they may create "
        "databases on: export QATYSU_TEST_DB_URL=mariadb://root@127.0.0.1:PORT (./deploy/test "
        "starts a throwaway one and sets it).");
  }
  try {
    return DbServer::fromUrl(url);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("QATYSU_TEST_DB_URL is malformed: ") + e.what());
  }
}

std::filesystem::path binDir() {
  return QATYSU_TEST_BIN_DIR;
}

TestDatabase::TestDatabase(DbServer server, std::string_view prefix)
    : server_(std::move(server)),
      name_(std::string(prefix) + "_" + std::to_string(::getpid()) + "_" + randomSuffix()) {
  auto result = server_.execute("CREATE DATABASE `" + name_ +
                                "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci");
  if (result.exit_code != 0) {
    throw std::runtime_error("cannot create database " + name_ + " on " + server_.host + ":" +
                             std::to_string(server_.port) + ": " + result.describe());
  }
}

std::string TestDatabase::scalar(std::string_view sql) const {
  auto result = server_.execute(sql, name_);
  if (result.exit_code != 0) {
    throw std::runtime_error("query failed: " + std::string(sql) + ": " + result.describe());
  }
  return result.out.substr(0, result.out.find_first_of("\t\n"));
}

TestDatabase::~TestDatabase() {
  server_.execute("DROP DATABASE IF EXISTS `" + name_ + "`");
}

ProcessResult runCli(const std::vector<std::string>& args, const std::string& db_url,
                     std::string_view input) {
  std::vector<std::string> argv{(binDir() / "qatysu").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return runProcess(argv, {{"QATYSU_DB_URL", db_url}}, input);
}

ServerProcess::ServerProcess(std::string db_url,
                             std::vector<std::pair<std::string, std::string>> settings,
                             std::chrono::seconds startup_timeout)
    : dir_("qatysu-server") {
  auto config = dir_.path() / "qatysu.properties";
  {
    std::ofstream file(config);
    file << "http.address = 127.0.0.1\nhttp.port = 0\n";
    bool has_key_file = false;
    bool has_lti_key_file = false;
    for (const auto& [key, value] : settings) {
      file << key << " = " << value << "\n";
      has_key_file = has_key_file || key == "certificates.key_file";
      has_lti_key_file = has_lti_key_file || key == "lti.key_file";
    }
    // The server creates its signing key on first start; by default that would be a path
    // relative to the working directory, which a test must not leave files in.
    if (!has_key_file) {
      file << "certificates.key_file = " << (dir_.path() / "certificate-signing.key").string()
           << "\n";
    }
    if (!has_lti_key_file)
      file << "lti.key_file = " << (dir_.path() / "lti-keys.json").string() << "\n";
  }
  child_ =
      std::make_unique<ChildProcess>(std::vector<std::string>{(binDir() / "qatysu-server").string(),
                                                              "--config=" + config.string()},
                                     Environment{{"QATYSU_DB_URL", db_url}},
                                     dir_.path() / "stdout.log", dir_.path() / "stderr.log");

  static const std::regex kListening(R"(listening on http://([^\s:/]+|\[[^\]]+\]):(\d+))");
  auto deadline = std::chrono::steady_clock::now() + startup_timeout;
  while (true) {
    std::smatch match;
    std::string out = child_->readStdout();
    if (std::regex_search(out, match, kListening)) {
      host_ = match[1].str();
      port_ = static_cast<std::uint16_t>(std::stoi(match[2].str()));
      break;
    }
    if (!child_->running()) {
      throw std::runtime_error("qatysu-server exited with " +
                               std::to_string(child_->exitCode().value_or(-1)) +
                               " before listening:\n" + output());
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      throw std::runtime_error(
          "qatysu-server did not print 'listening on http://ADDR:PORT' within " +
          std::to_string(startup_timeout.count()) + " s:\n" + output());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (host_ == "0.0.0.0") host_ = "127.0.0.1";
}

ServerProcess::~ServerProcess() {
  stop();
}

int ServerProcess::stop(std::chrono::milliseconds grace) {
  if (!child_) return -1;
  if (child_->running()) {
    child_->signal(SIGTERM);
    if (!child_->waitFor(grace)) {
      child_->signal(SIGKILL);
      child_->waitFor(std::chrono::seconds(10));
    }
  }
  return child_->exitCode().value_or(-1);
}

std::string ServerProcess::output() const {
  if (!child_) return {};
  return "--- stdout ---\n" + child_->readStdout() + "\n--- stderr ---\n" + child_->readStderr();
}

TestService::TestService(DbServer server, std::string_view prefix)
    : database_(std::move(server), prefix) {
  auto result = runCli({"migrate"}, database_.url());
  if (result.exit_code != 0) {
    throw std::runtime_error("qatysu migrate failed on " + database_.url() + ": " +
                             result.describe());
  }
}

TestService::TestService(std::string_view prefix) : TestService(testDbServer(), prefix) {}

void TestService::addAccount(const std::string& role, const std::string& login,
                             const std::string& password,
                             const std::vector<std::string>& extra_args) {
  std::vector<std::string> args{"user", "add", "--role", role, "--login", login};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  auto result = runCli(args, database_.url(), password + "\n");
  if (result.exit_code != 0) {
    throw std::runtime_error("qatysu user add --role " + role + " --login " + login +
                             " failed: " + result.describe());
  }
}

void TestService::start(std::vector<std::pair<std::string, std::string>> settings) {
  server_ = std::make_unique<ServerProcess>(database_.url(), std::move(settings));
}

void TestService::stop() {
  server_.reset();
}

Client TestService::client() const {
  if (!server_) throw std::logic_error("TestService::client() before start()");
  return server_->client();
}

Account TestService::login(const std::string& login, const std::string& password) const {
  boost::json::object body{{"login", login}, {"password", password}};
  auto reply = client().post("/api/v1/auth/login", boost::json::serialize(body));
  if (reply.status != 200) {
    throw std::runtime_error("login as " + login + " failed: " + reply.describe());
  }
  auto json = reply.json();
  Account account;
  account.login = login;
  account.password = password;
  account.token = std::string(json.at("token").as_string());
  const auto& who = json.at("account");
  account.id = who.at("id").to_number<long long>();
  account.role = std::string(who.at("role").as_string());
  return account;
}

Account TestService::createAccount(const std::string& role, const std::string& login,
                                   const std::vector<std::string>& extra_args) {
  std::string password = "Pass-word-" + login + "-2026";
  addAccount(role, login, password, extra_args);
  return this->login(login, password);
}

}  // namespace support::http
