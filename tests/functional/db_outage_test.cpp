// The service survives its database being killed and restarted: a private mariadbd (started with
// deploy/lib/mariadb.sh in a temporary directory on a free port) is killed with SIGKILL under a
// running qatysu-server. /readyz must turn 503 within 5 s while /livez stays 200 and writes get
// 503 problems; after a restart on the same data directory /readyz returns to 200, the next
// writes succeed and everything acknowledged before the kill is still there.

#include <signal.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include "fixture.hpp"

#ifndef QATYSU_SOURCE_DIR
#error "QATYSU_SOURCE_DIR must name the source tree (for deploy/lib/mariadb.sh)"
#endif

namespace functional {
namespace {

using Clock = std::chrono::steady_clock;
using support::http::ProcessResult;
using support::http::runProcess;

/// Runs `commands` in bash after sourcing deploy/lib/mariadb.sh; $1 is the data directory and
/// $2 the port.
ProcessResult mariadbScript(const std::string& commands, const std::string& datadir,
                            const std::string& port) {
  std::string script = std::string(QATYSU_SOURCE_DIR) + "/deploy/lib/mariadb.sh";
  return runProcess({"bash", "-c", "source \"$0\" || exit 1; " + commands, script, datadir, port},
                    {}, {}, std::chrono::seconds(120));
}

/// True while `pid` exists, zombies included: mariadb_start checks with `kill -0`, which
/// succeeds on a zombie until whoever adopted the orphaned mariadbd has reaped it.
bool processExists(pid_t pid) {
  return ::kill(pid, 0) == 0 || errno == EPERM;
}

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

class DbOutage : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      dir_ = std::make_unique<support::http::TempDir>("qft-db");
      datadir_ = (dir_->path() / "data").string();
      auto port = mariadbScript("free_port", "", "");
      if (port.exit_code != 0) throw std::runtime_error("free_port failed: " + port.describe());
      port_ = port.out.substr(0, port.out.find('\n'));
      startMariadb();
      support::http::DbServer server;
      server.port = static_cast<std::uint16_t>(std::stoi(port_));
      service_ = std::make_unique<support::http::TestService>(server, "qft_outage");
      service_->start();
      admin_ = service_->createAccount("admin", "admin");
      trainer_ = service_->createAccount("trainer", "trainer.outage");
      catalogue_ = createCatalogue(client(admin_), "FT-OUT");
    } catch (const std::exception& e) {
      setup_error_ = e.what();
      ADD_FAILURE() << "DB outage suite set-up failed: " << setup_error_;
    }
  }

  static void TearDownTestSuite() {
    service_.reset();  // stops the server, drops the database
    if (dir_) {
      auto stopped = mariadbScript("mariadb_stop \"$1\"", datadir_, port_);
      if (stopped.exit_code != 0) std::cerr << "mariadb_stop: " << stopped.describe() << "\n";
    }
    dir_.reset();
  }

  void SetUp() override { ASSERT_TRUE(service_ != nullptr) << "no service: " << setup_error_; }

  static void startMariadb() {
    auto started =
        mariadbScript("mariadb_init \"$1\" && mariadb_start \"$1\" \"$2\"", datadir_, port_);
    if (started.exit_code != 0) {
      throw std::runtime_error("could not start mariadbd: " + started.describe());
    }
  }

  static pid_t mariadbPid() {
    std::ifstream file(datadir_ + "/mysqld.pid");
    long pid = 0;
    file >> pid;
    return static_cast<pid_t>(pid);
  }

  static Client client(const Account& account) {
    return service_->client().withToken(account.token);
  }

  static inline std::unique_ptr<support::http::TempDir> dir_;
  static inline std::string datadir_;
  static inline std::string port_;
  static inline std::unique_ptr<support::http::TestService> service_;
  static inline std::string setup_error_;
  static inline Account admin_, trainer_;
  static inline Catalogue catalogue_;
};

TEST_F(DbOutage, ServiceSurvivesMariadbKilledAndRestarted) {
  auto trainer = client(trainer_);
  auto anon = service_->client();

  // Acknowledged before the outage.
  long long cohort = createCohort(trainer, catalogue_.course_id, catalogue_.village_id,
                                  "Шемонаиха, аудандық кітапхана");
  long long session = createSession(trainer, cohort, "2026-07-01T05:00:00Z", "Жоспарлау");
  long long person =
      registerParticipant(trainer, "Зәуре Бақытжанқызы Мұқанова", 1977, catalogue_.village_id);
  long long enrolment = enrol(trainer, cohort, person);
  json::object sheet{{"marks", json::array{{{"enrolment_id", enrolment}, {"status", "present"}}}}};
  auto sheet_path = "/api/v1/sessions/" + std::to_string(session) + "/attendance";
  expectJson(trainer.put(sheet_path, text(sheet)), 200);
  auto person_path = "/api/v1/participants/" + std::to_string(person);
  auto person_before = expectJson(trainer.get(person_path), 200);
  auto sheet_before = expectJson(trainer.get(sheet_path), 200);
  ASSERT_EQ(anon.get("/readyz").status, 200u);

  // Kill the database the hard way.
  pid_t pid = mariadbPid();
  ASSERT_GT(pid, 0) << "no pid in " << datadir_ << "/mysqld.pid";
  auto killed_at = Clock::now();
  ASSERT_EQ(::kill(pid, SIGKILL), 0);

  double not_ready_after = -1;
  while (secondsSince(killed_at) < 10) {
    auto ready = anon.get("/readyz");
    if (ready.status == 503) {
      not_ready_after = secondsSince(killed_at);
      EXPECT_TRUE(isProblem(ready, {503}) ||
                  ready.header("Content-Type").starts_with("application/json"))
          << ready.describe();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::cout << "[ measure  ] /readyz answered 503 " << not_ready_after
            << " s after mariadbd was killed\n";
  RecordProperty("readyz_503_after_seconds", std::to_string(not_ready_after));
  ASSERT_GE(not_ready_after, 0) << "/readyz never turned 503 within 10 s of the kill";
  EXPECT_LE(not_ready_after, 5.0) << "/readyz took more than 5 s to notice the outage";

  // Liveness does not depend on the database.
  auto live_started = Clock::now();
  auto live = anon.get("/livez");
  EXPECT_EQ(live.status, 200u) << live.describe();
  EXPECT_LT(secondsSince(live_started), 1.0) << "/livez waited on the database";

  // Writes and reads that need the database get a 503 problem with Retry-After.
  auto write = trainer.post("/api/v1/participants", text([&] {
                              auto body = participantBody("Ержан Сұлтанұлы Әуезов", 1986,
                                                          catalogue_.village_id);
                              body["not_duplicate"] = true;
                              return body;
                            }()));
  EXPECT_TRUE(isProblem(write, {503}));
  EXPECT_TRUE(write.hasHeader("Retry-After")) << write.describe();
  auto mark =
      trainer.put(sheet_path, text(json::object{{"marks", json::array{{{"enrolment_id", enrolment},
                                                                       {"status", "absent"}}}}}));
  EXPECT_TRUE(isProblem(mark, {503}));
  EXPECT_TRUE(isProblem(trainer.get(person_path), {503}));

  // Bring it back on the same data directory and port, once the killed one is really gone
  // (SIGKILL is delivered asynchronously; mariadb_start refuses while the old pid lives).
  auto gone_deadline = Clock::now() + std::chrono::seconds(20);
  while (processExists(pid) && Clock::now() < gone_deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_FALSE(processExists(pid)) << "mariadbd " << pid << " still exists 20 s after SIGKILL";
  auto restart_at = Clock::now();
  ASSERT_NO_THROW(startMariadb());
  double mariadb_up_after = secondsSince(restart_at);
  double ready_after = -1;
  while (secondsSince(restart_at) < 30) {
    if (anon.get("/readyz").status == 200) {
      ready_after = secondsSince(restart_at);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::cout << "[ measure  ] mariadbd answered " << mariadb_up_after
            << " s after restart; /readyz 200 after " << ready_after << " s\n";
  RecordProperty("readyz_200_after_restart_seconds", std::to_string(ready_after));
  ASSERT_GE(ready_after, 0) << "/readyz did not return to 200 within 30 s of the restart";
  EXPECT_LE(ready_after - mariadb_up_after, 15.0);

  // The very next writes succeed (the pool must not hand out dead connections).
  for (int i = 0; i < 5; ++i) {
    SCOPED_TRACE(i);
    auto body = participantBody("Ерлан Қайратұлы Нұрпейісов " + std::to_string(i), 1980 + i,
                                catalogue_.village_id);
    body["not_duplicate"] = true;
    auto reply = trainer.post("/api/v1/participants", text(body));
    EXPECT_EQ(reply.status, 201u) << reply.describe();
  }
  auto remark = trainer.put(
      sheet_path, text(json::object{
                      {"marks", json::array{{{"enrolment_id", enrolment}, {"status", "late"}}}}}));
  EXPECT_EQ(remark.status, 200u) << remark.describe();

  // Everything acknowledged before the kill survived it.
  EXPECT_EQ(expectJson(trainer.get(person_path), 200), person_before);
  auto enrolments =
      expectJson(trainer.get("/api/v1/cohorts/" + std::to_string(cohort) + "/enrolments"), 200);
  ASSERT_EQ(items(enrolments).size(), 1u);
  EXPECT_EQ(items(enrolments)[0].at("id").to_number<long long>(), enrolment);
  auto sheet_after = expectJson(trainer.get(sheet_path), 200);
  ASSERT_EQ(sheet_after.at("rows").as_array().size(), 1u);
  EXPECT_EQ(sheet_after.at("rows").as_array()[0].at("status").as_string(), "late");
  EXPECT_EQ(sheet_before.at("rows").as_array()[0].at("status").as_string(), "present");
}

}  // namespace
}  // namespace functional
