// The database's own limit for the two hottest writes of the API, measured on the same MariaDB
// the API benchmark uses: how many durable commits per second 16 connections get when each does
// nothing but the bare statement, with no HTTP, JSON, validation, audit or aggregates around it.
//
//   qatysu-raw-writes HOST PORT DATABASE SECONDS CONNECTIONS upsert30|insert1
//
// upsert30: each commit is one autocommit `INSERT … ON DUPLICATE KEY UPDATE` of 30 rows (a sheet's
//           marks), every row's status changing on every visit; each connection owns its own
//           sessions, as the HTTP benchmark's threads do, so no two connections wait on a row.
// insert1:  each commit is one autocommit single-row INSERT (a registration's person row).
// Prints one line: `RAW mode=… connections=… commits=… seconds=… commits_per_s=… rows_per_s=…`.
#include <mysql.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kMarksPerSheet = 30;
constexpr int kSessionsPerConnection = 20;

struct Options {
  std::string host;
  unsigned port = 0;
  std::string database;
  int seconds = 0;
  int connections = 0;
  bool upsert = true;
};

[[noreturn]] void fail(const char* what, MYSQL* db) {
  std::fprintf(stderr, "raw-writes: %s: %s\n", what, db ? mysql_error(db) : "");
  std::exit(1);
}

MYSQL* connect(const Options& options) {
  MYSQL* db = mysql_init(nullptr);
  if (!db) fail("mysql_init", nullptr);
  if (!mysql_real_connect(db, options.host.c_str(), "root", nullptr, options.database.c_str(),
                          options.port, nullptr, 0)) {
    fail("connect", db);
  }
  return db;
}

void run(MYSQL* db, const char* sql) {
  if (mysql_query(db, sql) != 0) fail(sql, db);
}

/// One connection's loop: commits until `stop`, counting them in `commits`.
void worker(const Options& options, int index, const std::atomic<bool>& stop,
            std::atomic<long long>& commits) {
  MYSQL* db = connect(options);
  run(db, "SET autocommit = 1");
  static const char* kStatuses[] = {"present", "late", "excused", "absent"};
  std::string sql;
  long long done = 0;
  for (long long visit = 0; !stop.load(std::memory_order_relaxed); ++visit) {
    sql.clear();
    if (options.upsert) {
      const long long session = index * kSessionsPerConnection + visit % kSessionsPerConnection;
      const long long round = visit / kSessionsPerConnection;
      sql = "INSERT INTO raw_marks (session_id, enrolment_id, status) VALUES ";
      for (int i = 0; i < kMarksPerSheet; ++i) {
        if (i > 0) sql += ',';
        sql += '(' + std::to_string(session) + ',' + std::to_string(i) + ",'" +
               kStatuses[(round + i) % 4] + "')";
      }
      sql += " ON DUPLICATE KEY UPDATE status = VALUES(status)";
    } else {
      sql = "INSERT INTO raw_people (full_name, birth_year) VALUES ('Raw Person " +
            std::to_string(index) + "-" + std::to_string(visit) + "', 1990)";
    }
    if (mysql_real_query(db, sql.data(), sql.size()) != 0) fail("write", db);
    ++done;
  }
  commits.fetch_add(done);
  mysql_close(db);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr,
                 "usage: qatysu-raw-writes HOST PORT DATABASE SECONDS CONNECTIONS "
                 "upsert30|insert1\n");
    return 2;
  }
  Options options;
  options.host = argv[1];
  options.port = static_cast<unsigned>(std::atoi(argv[2]));
  options.database = argv[3];
  options.seconds = std::atoi(argv[4]);
  options.connections = std::atoi(argv[5]);
  options.upsert = std::strcmp(argv[6], "upsert30") == 0;
  if (!options.upsert && std::strcmp(argv[6], "insert1") != 0) {
    std::fprintf(stderr, "raw-writes: mode must be upsert30 or insert1\n");
    return 2;
  }
  if (options.seconds < 1 || options.seconds > 60 || options.connections < 1 ||
      options.connections > 256) {
    std::fprintf(stderr, "raw-writes: SECONDS must be 1..60 and CONNECTIONS 1..256\n");
    return 2;
  }
  if (mysql_library_init(0, nullptr, nullptr) != 0) fail("mysql_library_init", nullptr);
  {
    // The same engine and row format as the service's own tables (InnoDB, utf8mb4).
    MYSQL* db = connect(options);
    run(db,
        "CREATE TABLE IF NOT EXISTS raw_marks (session_id BIGINT NOT NULL, enrolment_id BIGINT "
        "NOT NULL, status ENUM('present','late','excused','absent') NOT NULL, PRIMARY KEY "
        "(session_id, enrolment_id)) ENGINE=InnoDB");
    run(db,
        "CREATE TABLE IF NOT EXISTS raw_people (id BIGINT AUTO_INCREMENT PRIMARY KEY, full_name "
        "VARCHAR(200) NOT NULL, birth_year SMALLINT NOT NULL) ENGINE=InnoDB "
        "DEFAULT CHARSET=utf8mb4");
    mysql_close(db);
  }
  std::atomic<bool> stop{false};
  std::atomic<long long> commits{0};
  std::vector<std::thread> threads;
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < options.connections; ++i) {
    threads.emplace_back(worker, std::cref(options), i, std::cref(stop), std::ref(commits));
  }
  std::this_thread::sleep_for(std::chrono::seconds{options.seconds});
  stop.store(true);
  for (auto& thread : threads) thread.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const long long total = commits.load();
  const int rows = options.upsert ? kMarksPerSheet : 1;
  std::printf("RAW mode=%s connections=%d commits=%lld seconds=%.2f commits_per_s=%.0f "
              "rows_per_s=%.0f\n",
              argv[6], options.connections, total, seconds, static_cast<double>(total) / seconds,
              static_cast<double>(total * rows) / seconds);
  mysql_library_end();
  return 0;
}
