// The connection pool and the transaction runner against the real server: deadlock retry, lost
// connections, single-statement writes, pool limits, error mapping, long values, health pings,
// and batches read by JSON_TABLE.

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "courses/error.hpp"
#include "fixtures.hpp"
#include "pool.hpp"
#include "transaction.hpp"
#include "values.hpp"

namespace {

using namespace integration;
using namespace std::chrono_literals;
using courses::mariadb::Pool;
using courses::mariadb::TransactionRunner;
using courses::mariadb::Tx;

class Transactions : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database().execute(
        "CREATE TABLE IF NOT EXISTS probe (id INT NOT NULL PRIMARY KEY, v INT NOT NULL)"
        " ENGINE=InnoDB");
  }
  void SetUp() override {
    database().execute("DELETE FROM probe");
    database().execute("INSERT INTO probe VALUES (1, 0), (2, 0)");
  }
  static long long value(int id) {
    return database().queryInt("SELECT v FROM probe WHERE id = " + std::to_string(id));
  }

  // The configuration of a pool of one connection, whose id a test can kill between two uses.
  static courses::mariadb::Config configOfOne() {
    auto config = database().config();
    config.pool_size = 1;
    return config;
  }

  Pool pool_{database().config(), 5s};
  TransactionRunner runner_{pool_};
};

TEST_F(Transactions, ARealDeadlockIsRetriedAndBothCommit) {
  std::barrier both_hold_their_first_row(2);
  const auto transfer = [&](int first, int second) {
    std::atomic<int> attempts{0};
    runner_.run([&](Tx& tx) {
      tx.execute("UPDATE probe SET v = v + 1 WHERE id = ?", {first});
      // Only the first attempt waits, so both transactions hold one row and want the other's.
      if (attempts++ == 0) both_hold_their_first_row.arrive_and_wait();
      tx.execute("UPDATE probe SET v = v + 1 WHERE id = ?", {second});
    });
  };
  std::thread a([&] { transfer(1, 2); });
  std::thread b([&] { transfer(2, 1); });
  a.join();
  b.join();
  EXPECT_GE(runner_.retries(), 1u);
  EXPECT_EQ(value(1), 2);
  EXPECT_EQ(value(2), 2);
}

TEST_F(Transactions, ALostConnectionIsReplacedBeforeCommit) {
  Pool single{configOfOne(), 5s};
  TransactionRunner runner(single);
  const long long id =
      runner.run([](Tx& tx) { return tx.query("SELECT CONNECTION_ID()").at(0).int64(0); });
  database().execute("KILL CONNECTION " + std::to_string(id));
  runner.run([](Tx& tx) { tx.execute("UPDATE probe SET v = 7 WHERE id = ?", {1}); });
  EXPECT_EQ(runner.retries(), 1u);
  EXPECT_EQ(value(1), 7);
  const long long new_id =
      runner.run([](Tx& tx) { return tx.query("SELECT CONNECTION_ID()").at(0).int64(0); });
  EXPECT_NE(new_id, id);
}

TEST_F(Transactions, AConnectionLostAtCommitIsReportedAsOutcomeUnknown) {
  try {
    runner_.run([](Tx& tx) {
      tx.execute("UPDATE probe SET v = 9 WHERE id = ?", {1});
      const long long id = tx.query("SELECT CONNECTION_ID()").at(0).int64(0);
      // The connection dies after the last statement, before COMMIT reaches the server.
      database().execute("KILL CONNECTION " + std::to_string(id));
    });
    FAIL() << "a commit on a killed connection reported success";
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::unavailable);
    EXPECT_NE(std::string(error.what()).find("outcome unknown"), std::string::npos);
  }
  EXPECT_EQ(runner_.retries(), 0u) << "a transaction whose outcome is unknown is not rerun";
  EXPECT_EQ(value(1), 0);  // here the server rolled it back
  // The pool replaced the dead connection.
  runner_.run([](Tx& tx) { tx.execute("UPDATE probe SET v = 3 WHERE id = ?", {1}); });
  EXPECT_EQ(value(1), 3);
}

TEST_F(Transactions, ASingleStatementCommitsByItself) {
  runner_.single([](Tx& tx) { tx.execute("UPDATE probe SET v = 5 WHERE id = ?", {1}); });
  EXPECT_EQ(value(1), 5);
  // No transaction is left open on the connection: another session can take the row's lock.
  database().execute("UPDATE probe SET v = 6 WHERE id = 1");
  EXPECT_EQ(value(1), 6);
}

TEST_F(Transactions, ASingleBodyMayNotRunASecondStatement) {
  EXPECT_THROW(runner_.single([](Tx& tx) {
    tx.execute("UPDATE probe SET v = 1 WHERE id = ?", {1});
    tx.execute("UPDATE probe SET v = 1 WHERE id = ?", {2});
  }),
               std::logic_error);
  EXPECT_EQ(value(2), 0);
}

TEST_F(Transactions, ASingleStatementOnAConnectionFoundDeadIsRunOnAFreshOne) {
  Pool single{configOfOne(), 5s};
  TransactionRunner runner(single);
  const long long id =
      runner.read([](Tx& tx) { return tx.query("SELECT CONNECTION_ID()").at(0).int64(0); });
  database().execute("KILL CONNECTION " + std::to_string(id));
  runner.single([](Tx& tx) { tx.execute("UPDATE probe SET v = 8 WHERE id = ?", {1}); });
  EXPECT_EQ(runner.retries(), 1u);
  EXPECT_EQ(value(1), 8);
}

TEST_F(Transactions, ASingleStatementLostAfterItWasSentIsReportedAsOutcomeUnknown) {
  std::atomic<bool> done{false};
  std::thread killer([&] {
    // Kills the connection while the statement runs on the server.
    while (!done) {
      const long long id = database().queryInt(
          "SELECT COALESCE(MAX(ID), 0) FROM information_schema.PROCESSLIST"
          " WHERE INFO LIKE 'UPDATE probe SET v = IF(SLEEP(%'");
      if (id != 0) {
        database().execute("KILL CONNECTION " + std::to_string(id));
        return;
      }
      std::this_thread::sleep_for(10ms);
    }
  });
  try {
    runner_.single([](Tx& tx) {
      tx.execute("UPDATE probe SET v = IF(SLEEP(5) = 0, 11, 12) WHERE id = ?", {1});
    });
    done = true;
    killer.join();
    FAIL() << "a statement on a killed connection reported success";
  } catch (const courses::Error& error) {
    done = true;
    killer.join();
    EXPECT_EQ(error.code(), courses::ErrorCode::unavailable);
    EXPECT_NE(std::string(error.what()).find("outcome unknown"), std::string::npos);
  }
  EXPECT_EQ(runner_.retries(), 0u) << "a statement whose outcome is unknown is not rerun";
  runner_.single([](Tx& tx) { tx.execute("UPDATE probe SET v = 4 WHERE id = ?", {2}); });
  EXPECT_EQ(value(2), 4);
}

TEST_F(Transactions, JsonRowsAreReadBackByJsonTableAsWritten) {
  courses::mariadb::JsonRows rows;
  rows.add({7, -1, std::string_view("present")})
      .add({9007199254740993LL, 0, std::nullopt})
      .add({-42, 2, std::string_view("excused_2")});
  EXPECT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows.text(), R"([[7,-1,"present"],[9007199254740993,0,null],[-42,2,"excused_2"]])");
  const auto read = runner_.read([&](Tx& tx) {
    return tx.query(
        "SELECT j.id, j.delta, j.word FROM JSON_TABLE(?, '$[*]' COLUMNS (n FOR ORDINALITY,"
        " id BIGINT PATH '$[0]', delta INT PATH '$[1]', word VARCHAR(16) PATH '$[2]')) j"
        " ORDER BY j.n",
        {rows.text()});
  });
  ASSERT_EQ(read.size(), 3u);
  EXPECT_EQ(read[0].int64(0), 7);
  EXPECT_EQ(read[0].int64(1), -1);
  EXPECT_EQ(read[0].text(2), "present");
  EXPECT_EQ(read[1].int64(0), 9007199254740993LL) << "big ids survive JSON_TABLE exactly";
  EXPECT_TRUE(read[1].isNull(2));
  EXPECT_EQ(read[2].int64(0), -42);
  EXPECT_EQ(read[2].text(2), "excused_2");
  EXPECT_EQ(courses::mariadb::JsonRows().text(), "[]");
  for (const std::string_view word : {"", "a\"b", "tab\t", "Ә", "a b"}) {
    EXPECT_THROW(courses::mariadb::JsonRows().add({word}), std::invalid_argument) << word;
  }
}

TEST_F(Transactions, ConnectionsAreUtcUtf8mb4StrictAndReadCommitted) {
  const auto row = runner_.read([](Tx& tx) {
    return tx
        .query(
            "SELECT @@session.time_zone, @@session.tx_isolation,"
            " @@session.character_set_connection, @@session.collation_connection,"
            " @@session.autocommit, @@session.sql_mode")
        .at(0);
  });
  EXPECT_EQ(row.text(0), "+00:00");
  EXPECT_EQ(row.text(1), "READ-COMMITTED");
  EXPECT_EQ(row.text(2), "utf8mb4");
  EXPECT_EQ(row.text(3), "utf8mb4_unicode_520_ci");
  EXPECT_EQ(row.int64(4), 1);
  EXPECT_NE(row.text(5).find("STRICT_ALL_TABLES"), std::string::npos);
}

TEST_F(Transactions, ABodyExceptionRollsBackAndPropagates) {
  EXPECT_THROW(runner_.run([](Tx& tx) {
    tx.execute("UPDATE probe SET v = 42 WHERE id = ?", {1});
    throw std::runtime_error("changed my mind");
  }),
               std::runtime_error);
  EXPECT_EQ(value(1), 0);
  EXPECT_EQ(runner_.retries(), 0u);
  // The connection went back to the pool clean: the next transaction works on it.
  runner_.run([](Tx& tx) { tx.execute("UPDATE probe SET v = 1 WHERE id = ?", {2}); });
  EXPECT_EQ(value(2), 1);
  EXPECT_EQ(value(1), 0);
}

TEST_F(Transactions, UniqueKeyViolationIsAConflictWithAGenericMessage) {
  try {
    runner_.run([](Tx& tx) { tx.execute("INSERT INTO probe VALUES (?, ?)", {1, 5}); });
    FAIL();
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::conflict);
    const std::string what = error.what();
    EXPECT_EQ(what.find("probe"), std::string::npos);
    EXPECT_EQ(what.find("INSERT"), std::string::npos);
  }
}

TEST_F(Transactions, SqlErrorsBecomeGenericInternalErrors) {
  try {
    runner_.run([](Tx& tx) { tx.query("SELECT no_such_column FROM probe"); });
    FAIL();
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::internal);
    EXPECT_EQ(std::string(error.what()), "storage error");
  }
}

TEST_F(Transactions, LongTextsAndNullsAreFetchedWhole) {
  const auto rows = runner_.run([](Tx& tx) {
    return tx.query(
        "SELECT REPEAT('ә', n), IF(n = 2, NULL, n), CAST(n AS DECIMAL(7,2)) / 4 FROM"
        " (SELECT 1 AS n UNION ALL SELECT 2000 UNION ALL SELECT 2 UNION ALL SELECT 70000) t"
        " ORDER BY n");
  });
  ASSERT_EQ(rows.size(), 4u);
  const std::size_t lengths[] = {1, 2, 2000, 70000};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].text(0).size(), lengths[i] * 2) << i;
  }
  EXPECT_EQ(rows[2].text(0).substr(0, 4), "әә");
  EXPECT_TRUE(rows[1].isNull(1));
  EXPECT_EQ(rows[3].int64(1), 70000);
  EXPECT_DOUBLE_EQ(rows[0].real(2), 0.25);
  EXPECT_THROW((void)rows[0].text(1), courses::Error);
}

TEST_F(Transactions, PoolWaitsThenGivesUpAsUnavailable) {
  auto config = database().config();
  config.pool_size = 1;
  Pool single(config, 200ms);
  {
    auto held = single.acquire();
    const auto started = std::chrono::steady_clock::now();
    try {
      single.acquire();
      FAIL() << "acquired a second connection from a pool of one";
    } catch (const courses::Error& error) {
      EXPECT_EQ(error.code(), courses::ErrorCode::unavailable);
    }
    EXPECT_GE(std::chrono::steady_clock::now() - started, 150ms);
  }
  EXPECT_NO_THROW(single.acquire());
}

TEST(Store, UnreachableServerIsUnavailableAndPingSaysSoQuickly) {
  auto config = database().config();
  config.port = 1;  // nothing listens there
  courses::mariadb::Store down(config);
  try {
    down.repositories().programmes.list();
    FAIL();
  } catch (const courses::Error& error) {
    EXPECT_EQ(error.code(), courses::ErrorCode::unavailable);
  }
  const auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(down.ping(2000));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_TRUE(store().ping(2000));
}

TEST(Store, RefusesAConfigurationWithoutADatabase) {
  auto config = database().config();
  config.database.clear();
  EXPECT_THROW(courses::mariadb::Store{config}, courses::Error);
}

TEST(Store, ReplacesConnectionsKilledWhileIdleAndCountsTheRetries) {
  auto repo = repos();
  repo.programmes.list();  // at least one idle pooled connection
  const auto before = store().transactionRetries();
  auto& db = database();
  const long long idle = db.queryInt(
      "SELECT COUNT(*) FROM information_schema.processlist WHERE db = DATABASE()"
      " AND id <> CONNECTION_ID()");
  ASSERT_GE(idle, 1);
  // What a server restart does to the pool: every idle connection is dead.
  db.execute(
      "BEGIN NOT ATOMIC"
      " FOR c IN (SELECT id FROM information_schema.processlist WHERE db = DATABASE()"
      " AND id <> CONNECTION_ID()) DO KILL CONNECTION c.id; END FOR; END");
  const auto programme = makeProgramme();
  EXPECT_TRUE(repo.programmes.find(programme.id));
  EXPECT_GE(store().transactionRetries(), before + 1);
}

}  // namespace
