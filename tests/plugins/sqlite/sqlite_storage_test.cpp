// The sqlite plugin hosted in-process: writes, upserts, batching, restore and
// what another connection sees while the plugin is still running.
#include "sqlite_test_support.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>

namespace tickd::sqlite_test {
namespace {

using nlohmann::json;
using test_support::TempDir;

constexpr TimeMs kT0 = 1570752000000;  // 2019-10-11T00:00Z
constexpr TimeMs kMinute = 60000;

class SqliteStorageTest : public ::testing::Test {
 protected:
  // One FakeHost per plugin instance, like the daemon gives each observer its own.
  sqlite_store::SqliteStorage& start(json config) {
    if (!config.contains("path")) config["path"] = db_path_;
    hosts_.push_back(std::make_unique<testing::FakeHost>("store", config));
    stores_.push_back(std::make_unique<sqlite_store::SqliteStorage>());
    stores_.back()->start(hosts_.back()->host());
    symbol_ = hosts_.back()->intern("XRPETH");
    return *stores_.back();
  }
  std::int64_t count(const std::string& table = "candles") {
    return query_int(db_path_, "SELECT count(*) FROM " + table);
  }

  TempDir dir_{"tickd-sqlite"};
  std::string db_path_ = dir_.file("tickd.db");
  std::string_view symbol_;
  std::vector<std::unique_ptr<testing::FakeHost>> hosts_;
  std::vector<std::unique_ptr<sqlite_store::SqliteStorage>> stores_;
};

TEST_F(SqliteStorageTest, UpsertIsIdempotent) {
  auto& store = start({{"batch_size", 2}});
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < 3; ++i) store.on_candle(candle(symbol_, kT0 + i * kMinute, 100 + i));
  store.stop();
  EXPECT_EQ(count(), 3);
  EXPECT_EQ(query_int(db_path_, "SELECT sum(trade_count) FROM candles"), 21);
}

TEST_F(SqliteStorageTest, AmendedCandleReplacesTheStoredOne) {
  auto& store = start({{"batch_size", 1}});
  store.on_candle(candle(symbol_, kT0, 100));
  auto amended = candle(symbol_, kT0, 105);
  amended.trade_count = 8;
  store.on_candle(amended);
  store.stop();
  EXPECT_EQ(count(), 1);
  EXPECT_EQ(query_int(db_path_, "SELECT CAST(close AS INTEGER) FROM candles"), 105);
  EXPECT_EQ(query_int(db_path_, "SELECT trade_count FROM candles"), 8);
}

TEST_F(SqliteStorageTest, OnlyClosedCandlesAreStored) {
  auto& store = start({});
  store.on_candle(candle(symbol_, kT0, 100, /*closed=*/false));
  store.on_candle(candle(symbol_, kT0 + kMinute, 100, /*closed=*/true));
  store.stop();
  EXPECT_EQ(count(), 1);
  EXPECT_EQ(query_int(db_path_, "SELECT open_time FROM candles"), kT0 + kMinute);
  EXPECT_EQ(query_int(db_path_, "SELECT flags FROM candles"), TICKD_CANDLE_CLOSED);
}

TEST_F(SqliteStorageTest, RestoreReturnsNewestCandlesOldestFirst) {
  auto& writer = start({});
  // Written out of order: restore must order by time, not by insertion.
  for (int i : {5, 1, 9, 0, 3, 7, 2, 8, 4, 6}) writer.on_candle(candle(symbol_, kT0 + i * kMinute, 100 + i));
  auto other = candle(symbol_, kT0, 1);
  other.interval = *Interval::parse("5m");
  writer.on_candle(other);
  writer.stop();

  auto& reader = start({});
  const auto restored = reader.restore("XRPETH", *Interval::parse("1m"), 4);
  ASSERT_EQ(restored.size(), 4u);
  for (std::size_t i = 0; i < restored.size(); ++i) {
    EXPECT_EQ(restored[i].open_time, kT0 + static_cast<TimeMs>(6 + i) * kMinute);
    EXPECT_DOUBLE_EQ(restored[i].close, 106.0 + static_cast<double>(i));
    EXPECT_EQ(restored[i].symbol, "XRPETH");
    EXPECT_EQ(restored[i].interval, *Interval::parse("1m"));
    EXPECT_TRUE(restored[i].closed);
    EXPECT_EQ(restored[i].trade_count, 7u);
    EXPECT_DOUBLE_EQ(restored[i].vwap, restored[i].close);
  }
  EXPECT_EQ(reader.restore("XRPETH", *Interval::parse("1m"), 1000).size(), 10u);
  EXPECT_EQ(reader.restore("XRPETH", *Interval::parse("5m"), 10).size(), 1u);
  EXPECT_TRUE(reader.restore("BTCUSDT", *Interval::parse("1m"), 10).empty());
  EXPECT_TRUE(reader.restore("XRPETH", *Interval::parse("1m"), 0).empty());
  reader.stop();
}

TEST_F(SqliteStorageTest, RestoreWorksThroughThePluginAbi) {
  auto& writer = start({});
  for (int i = 0; i < 3; ++i) writer.on_candle(candle(symbol_, kT0 + i * kMinute, 100 + i));
  writer.stop();
  // The TICKD_PLUGIN glue is not linked here; the SDK's make_api is what it calls.
  const tickd_plugin_api* api =
      tickd::detail::make_api<sqlite_store::SqliteStorage>("sqlite", "test", "test");
  ASSERT_NE(api->restore, nullptr);
  testing::FakeHost host("store", json{{"path", db_path_}});
  tickd_plugin_instance* instance = nullptr;
  char err[256] = {};
  ASSERT_EQ(api->create(host.host().raw(), &instance, {err, sizeof err}), TICKD_OK);
  ASSERT_EQ(api->start(instance, {err, sizeof err}), TICKD_OK) << err;
  std::vector<TimeMs> times;
  auto sink = [](void* user, const tickd_candle* c) noexcept {
    static_cast<std::vector<TimeMs>*>(user)->push_back(c->open_time);
  };
  ASSERT_EQ(api->restore(instance, tickd::detail::str("XRPETH"), 60, 2, sink, &times, {err, sizeof err}),
            TICKD_OK);
  EXPECT_EQ(times, (std::vector<TimeMs>{kT0 + kMinute, kT0 + 2 * kMinute}));
  EXPECT_EQ(api->stop(instance, {err, sizeof err}), TICKD_OK) << err;
  api->destroy(instance);
}

TEST_F(SqliteStorageTest, PartialBatchIsCommittedAfterMaxDelayWithoutFurtherEvents) {
  auto& store = start({{"batch_size", 1000}, {"max_delay", "20ms"}});
  for (int i = 0; i < 3; ++i) store.on_candle(candle(symbol_, kT0 + i * kMinute, 100));
  EXPECT_TRUE(eventually([&] { return count() == 3; })) << "rows: " << count();
  EXPECT_EQ(store.writer()->written(), 3u);
  store.stop();
}

TEST_F(SqliteStorageTest, StopFlushesAPendingBatch) {
  auto& store = start({{"batch_size", 1000}, {"max_delay", "60000ms"}});
  for (int i = 0; i < 5; ++i) store.on_candle(candle(symbol_, kT0 + i * kMinute, 100));
  // Neither the size nor the delay is reached: nothing may be written yet.
  EXPECT_EQ(count(), 0);
  store.stop();
  EXPECT_EQ(count(), 5);
}

TEST_F(SqliteStorageTest, CommittedBatchesAreVisibleToAnotherConnectionAndInACopy) {
  auto& store = start({{"batch_size", 10}, {"max_delay", "60000ms"}});
  for (int i = 0; i < 25; ++i) store.on_candle(candle(symbol_, kT0 + i * kMinute, 100));
  // Two full batches commit; the last 5 wait for the delay that never comes.
  ASSERT_TRUE(eventually([&] { return store.writer()->written() == 20; }));
  EXPECT_EQ(count(), 20);
  // A copy of the files as they are now is what a crash would leave behind.
  TempDir copy("tickd-sqlite-copy");
  for (const char* suffix : {"", "-wal"})
    std::filesystem::copy_file(db_path_ + suffix, copy.file(std::string("tickd.db") + suffix));
  EXPECT_EQ(query_int(copy.file("tickd.db"), "SELECT count(*) FROM candles"), 20);
  EXPECT_EQ(query_int(copy.file("tickd.db"),
                      "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"),
            1);
  store.stop();
  EXPECT_EQ(count(), 25);
}

TEST_F(SqliteStorageTest, StoresSignalsAndTicksWithoutDuplicates) {
  auto& store = start({{"store_ticks", true}});
  Tick t;
  t.symbol = symbol_;
  t.time = kT0 + 5;
  t.price = 0.0123;
  t.quantity = 3;
  t.trade_id = 13519807;
  t.side = Side::buy;
  store.on_tick(t);
  store.on_tick(t);  // a replay
  t.trade_id = 13519808;
  store.on_tick(t);
  Signal s;
  s.symbol = "XRPETH";
  s.interval = *Interval::parse("1m");
  s.time = kT0;
  s.side = Side::buy;
  s.strength = 0.5;
  s.source = "ema_cross/ema_9_21";
  s.text = R"({"fast":1})";
  store.on_signal(s);
  s.strength = 0.7;
  store.on_signal(s);
  store.stop();
  EXPECT_EQ(count("ticks"), 2);
  EXPECT_EQ(count("signals"), 1);
  EXPECT_EQ(query_int(db_path_, "SELECT CAST(strength * 10 AS INTEGER) FROM signals"), 7);
}

TEST_F(SqliteStorageTest, TicksAreIgnoredUnlessConfigured) {
  auto& store = start({});
  Tick t;
  t.symbol = symbol_;
  t.trade_id = 1;
  store.on_tick(t);
  store.stop();
  EXPECT_EQ(count("ticks"), 0);
}

TEST_F(SqliteStorageTest, RelativePathResolvesAgainstTheWorkingDirectory) {
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir_.path());
  testing::FakeHost host("store", json{{"path", "relative.db"}});
  sqlite_store::SqliteStorage store;
  store.start(host.host());
  std::filesystem::current_path(cwd);
  EXPECT_EQ(store.path(), dir_.file("relative.db"));
  store.stop();
  EXPECT_TRUE(std::filesystem::exists(dir_.file("relative.db")));
}

}  // namespace
}  // namespace tickd::sqlite_test
