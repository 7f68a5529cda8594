// The postgres plugin against a private PostgreSQL cluster the suite starts
// itself (initdb + pg_ctl in a temporary directory). Each test gets its own database.
#include "postgres/postgres_storage.hpp"
#include "support/local_servers.hpp"

#include <tickd/testing/fake_host.hpp>

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <thread>

namespace tickd::postgres_test {
namespace {

using nlohmann::json;
using test_support::PostgresServer;
using test_support::wait_until;

constexpr TimeMs kT0 = 1570752000000;
constexpr TimeMs kMinute = 60000;
constexpr auto kWait = std::chrono::seconds(20);

class PostgresStorageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new PostgresServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    dbname_ = "t" + std::to_string(++counter_);
    sql("postgres", "CREATE DATABASE " + dbname_);
    symbol_ = symbols_.intern("XRPETH");
  }

  // Runs SQL through an independent connection; returns the first value of the first row.
  static std::string sql(const std::string& db, const std::string& text) {
    const std::string conninfo = server_->conninfo() + " dbname=" + db;
    PGconn* conn = PQconnectdb(conninfo.c_str());
    std::string value;
    if (PQstatus(conn) != CONNECTION_OK) {
      ADD_FAILURE() << PQerrorMessage(conn);
    } else {
      PGresult* r = PQexec(conn, text.c_str());
      const auto status = PQresultStatus(r);
      if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        ADD_FAILURE() << text << ": " << PQerrorMessage(conn);
      else if (status == PGRES_TUPLES_OK && PQntuples(r) > 0)
        value = PQgetvalue(r, 0, 0);
      PQclear(r);
    }
    PQfinish(conn);
    return value;
  }
  std::string query(const std::string& text) { return sql(dbname_, text); }

  json config(json extra = json::object()) {
    extra["port"] = server_->port();
    if (!extra.contains("dbname")) extra["dbname"] = dbname_;
    extra["user"] = PostgresServer::kUser;
    if (!extra.contains("password")) extra["password"] = server_->password();
    extra["retry_initial"] = "20ms";
    extra["retry_max"] = "200ms";
    return extra;
  }

  postgres_store::PostgresStorage& start(json extra = json::object(), std::optional<bool> lossless = {}) {
    hosts_.push_back(std::make_unique<testing::FakeHost>("pg", config(extra)));
    if (lossless) hosts_.back()->set_lossless(*lossless);
    stores_.push_back(std::make_unique<postgres_store::PostgresStorage>());
    stores_.back()->start(hosts_.back()->host());
    return *stores_.back();
  }

  Candle candle(TimeMs open_time, double close) {
    Candle c;
    c.symbol = symbol_;
    c.interval = *Interval::parse("1m");
    c.open_time = open_time;
    c.open = c.high = c.low = c.close = close;
    c.volume = 2;
    c.quote_volume = 2 * close;
    c.vwap = close;
    c.trade_count = 3;
    c.closed = true;
    return c;
  }

  static PostgresServer* server_;
  static int counter_;
  std::string dbname_;
  testing::FakeHost symbols_;
  std::string_view symbol_;
  std::vector<std::unique_ptr<testing::FakeHost>> hosts_;
  std::vector<std::unique_ptr<postgres_store::PostgresStorage>> stores_;
};

PostgresServer* PostgresStorageTest::server_ = nullptr;
int PostgresStorageTest::counter_ = 0;

TEST_F(PostgresStorageTest, WritesLandWithUpsertsAndNoDuplicates) {
  auto& store = start({{"store_ticks", true}, {"batch_size", 1000}, {"max_delay", "60000ms"}});
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < 5; ++i) store.on_candle(candle(kT0 + i * kMinute, 100 + i));
  store.on_candle(candle(kT0, 42));  // amended in the same batch: last one wins
  auto open = candle(kT0 + 9 * kMinute, 1);
  open.closed = false;
  store.on_candle(open);
  Tick t;
  t.symbol = symbol_;
  t.time = kT0;
  t.price = 0.01;
  t.quantity = 1;
  t.trade_id = 77;
  store.on_tick(t);
  store.on_tick(t);
  Signal s;
  s.symbol = "XRPETH";
  s.interval = *Interval::parse("1m");
  s.time = kT0;
  s.side = Side::sell;
  s.source = "ema_cross/ema_9_21";
  s.text = "{}";
  store.on_signal(s);
  store.on_signal(s);
  store.stop();
  EXPECT_EQ(query("SELECT count(*) FROM candles"), "5");
  EXPECT_EQ(query("SELECT close FROM candles WHERE open_time = " + std::to_string(kT0)), "42");
  EXPECT_EQ(query("SELECT count(*) FROM ticks"), "1");
  EXPECT_EQ(query("SELECT side FROM signals"), "sell");

  auto& again = start();  // a replay in a new batch updates in place
  again.on_candle(candle(kT0 + kMinute, 7));
  again.stop();
  EXPECT_EQ(query("SELECT count(*) FROM candles"), "5");
  EXPECT_EQ(query("SELECT close FROM candles WHERE open_time = " + std::to_string(kT0 + kMinute)), "7");
  EXPECT_EQ(query("SELECT version FROM tickd_schema"), "1");
}

TEST_F(PostgresStorageTest, RestoreReturnsNewestOldestFirst) {
  auto& writer = start();
  for (int i : {3, 0, 5, 1, 4, 2}) writer.on_candle(candle(kT0 + i * kMinute, 100 + i));
  writer.stop();
  auto& reader = start();
  const auto restored = reader.restore("XRPETH", *Interval::parse("1m"), 4);
  ASSERT_EQ(restored.size(), 4u);
  for (std::size_t i = 0; i < restored.size(); ++i) {
    EXPECT_EQ(restored[i].open_time, kT0 + static_cast<TimeMs>(2 + i) * kMinute);
    EXPECT_DOUBLE_EQ(restored[i].close, 102.0 + static_cast<double>(i));
    EXPECT_EQ(restored[i].trade_count, 3u);
    EXPECT_TRUE(restored[i].closed);
  }
  EXPECT_TRUE(reader.restore("XRPETH", *Interval::parse("5m"), 4).empty());
  reader.stop();
}

TEST_F(PostgresStorageTest, QueuedRecordsArriveAfterAServerRestart) {
  auto& store = start({{"batch_size", 2}, {"max_delay", "5ms"}});
  for (int i = 0; i < 3; ++i) store.on_candle(candle(kT0 + i * kMinute, 100 + i));
  ASSERT_TRUE(wait_until([&] { return store.writer()->written() == 3; }, kWait));
  server_->stop("immediate");  // like a crash
  for (int i = 3; i < 8; ++i) store.on_candle(candle(kT0 + i * kMinute, 100 + i));
  store.on_candle(candle(kT0 + 1 * kMinute, 101));  // a repeat: must not duplicate
  ASSERT_TRUE(wait_until([&] { return store.writer()->failures() > 0; }, kWait));
  server_->start();
  ASSERT_TRUE(wait_until([&] { return store.writer()->written() == 9; }, kWait))
      << "written " << store.writer()->written() << ", queued " << store.writer()->queued();
  store.stop();
  EXPECT_EQ(query("SELECT count(*) FROM candles"), "8");
  EXPECT_EQ(query("SELECT count(DISTINCT open_time) FROM candles"), "8");
  bool recovered = false;
  for (const auto& [level, text] : hosts_.back()->logs())
    recovered |= text.find("recovered") != std::string::npos;
  EXPECT_TRUE(recovered);
}

TEST_F(PostgresStorageTest, ServerDownAtStartIsRetriedInTheBackground) {
  server_->stop("fast");
  auto& store = start();
  store.on_candle(candle(kT0, 1));
  server_->start();
  ASSERT_TRUE(wait_until([&] { return store.writer()->written() == 1; }, kWait));
  store.stop();
  EXPECT_EQ(query("SELECT count(*) FROM candles"), "1");
  bool warned = false;
  for (const auto& [level, text] : hosts_.back()->logs())
    warned |= level == LogLevel::warn && text.find("buffered") != std::string::npos;
  EXPECT_TRUE(warned);
}

void expect_start_error(const json& config, const std::string& needle, const std::string& secret = "") {
  testing::FakeHost host("pg", config);
  postgres_store::PostgresStorage store;
  try {
    store.start(host.host());
    ADD_FAILURE() << "start succeeded";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    if (!secret.empty()) {
      EXPECT_EQ(std::string(e.what()).find(secret), std::string::npos) << "leaked: " << e.what();
    }
  }
}

TEST_F(PostgresStorageTest, WrongCredentialsAreAClearErrorAtStart) {
  expect_start_error(config({{"password", "not-the-password"}}), "password authentication failed",
                     "not-the-password");
  expect_start_error(config({{"dbname", "no_such_db"}}), "does not exist");
}

TEST_F(PostgresStorageTest, ForeignOrNewerLayoutIsAClearErrorAtStart) {
  query("CREATE TABLE candles(ts bigint, price double precision)");
  expect_start_error(config(), "unknown table layout");
  query("DROP TABLE candles");
  query("CREATE TABLE tickd_schema(version integer NOT NULL); INSERT INTO tickd_schema VALUES (99)");
  expect_start_error(config(), "newer");
}

TEST_F(PostgresStorageTest, UnknownConfigKeyIsAnError) {
  expect_start_error(config({{"passwd", "x"}}), "unknown key 'passwd'");
}

// The plugin's own figures, by name, as the host reads them.
std::map<std::string, double> figures(const Observer& o) {
  std::map<std::string, double> out;
  auto sink = [](void* user, const tickd_metric* m) noexcept {
    (*static_cast<std::map<std::string, double>*>(user))[std::string(m->name.data, m->name.size)] = m->value;
  };
  Metrics m(sink, &out);
  o.metrics(m);
  return out;
}

// overflow: block is lossless through the plugin's own buffer: while the
// server is down a full buffer makes on_candle wait (back-pressure to the
// observer's queue), and everything is written once it is back.
TEST_F(PostgresStorageTest, WithBlockAFullBufferWaitsAndNothingIsLost) {
  auto& store = start({{"batch_size", 2}, {"max_delay", "5ms"}, {"max_buffer", 5}}, true);
  for (int i = 0; i < 3; ++i) store.on_candle(candle(kT0 + i * kMinute, 100 + i));
  ASSERT_TRUE(wait_until([&] { return store.writer()->written() == 3; }, kWait));
  server_->stop("fast");
  std::atomic<int> pushed{0};
  std::thread worker([&] {
    for (int i = 3; i < 23; ++i) {
      store.on_candle(candle(kT0 + i * kMinute, 100 + i));
      ++pushed;
    }
  });
  ASSERT_TRUE(wait_until([&] { return store.writer()->failures() > 0; }, kWait));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_LT(pushed.load(), 20) << "the worker never waited: the buffer did not fill";
  EXPECT_EQ(figures(store)["records_dropped"], 0);
  EXPECT_GE(figures(store)["records_buffered"], 5);
  server_->start();
  worker.join();
  ASSERT_TRUE(wait_until([&] { return store.writer()->written() == 23; }, kWait))
      << "written " << store.writer()->written();
  store.stop();
  EXPECT_EQ(query("SELECT count(*) FROM candles"), "23");
  const auto f = figures(store);
  EXPECT_EQ(f.at("records_written"), 23);
  EXPECT_EQ(f.at("records_dropped"), 0);
  EXPECT_EQ(f.at("records_unwritten_at_stop"), 0);
}

// Under drop_ticks the buffer stays bounded and never stalls the worker: the
// oldest records go, and are counted as a loss.
TEST_F(PostgresStorageTest, WithDropTicksAFullBufferDropsTheOldestAndCountsThem) {
  server_->stop("fast");
  auto& store = start({{"max_buffer", 5}, {"stop_timeout", "100ms"}}, false);
  for (int i = 0; i < 20; ++i) store.on_candle(candle(kT0 + i * kMinute, 100 + i));
  EXPECT_EQ(figures(store)["records_dropped"], 15);
  EXPECT_THROW(store.stop(), std::runtime_error);  // the host counts it as a failed stop
  EXPECT_EQ(figures(store)["records_unwritten_at_stop"], 5);
  server_->start();
}

}  // namespace
}  // namespace tickd::postgres_test
