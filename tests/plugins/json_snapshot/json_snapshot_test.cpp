// The json_snapshot observer with a fake host: what the file holds, that a
// reader polling it in a tight loop never sees invalid JSON while the plugin
// rewrites it, per-symbol files and config errors.
#include "snapshot_observer.hpp"

#include "support/plugin_config.hpp"
#include "support/temp_dir.hpp"

#include <tickd/testing/fake_host.hpp>
#include <tickd/wire.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <unistd.h>

namespace tickd::json_snapshot {
namespace {

using namespace std::chrono_literals;
using test_support::TempDir;
using tickd::testing::FakeHost;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

Candle candle(std::string_view symbol, const char* interval, TimeMs open_time, double close, bool closed) {
  Candle c;
  c.symbol = symbol;
  c.interval = *Interval::parse(interval);
  c.open_time = open_time;
  c.open = close - 1;
  c.high = close + 1;
  c.low = close - 2;
  c.close = close;
  c.volume = 3;
  c.trade_count = 4;
  c.closed = closed;
  return c;
}

TEST(JsonSnapshotTest, HoldsLatestTickOpenAndLastClosedCandleOfEverySeries) {
  TempDir dir("snapshot");
  FakeHost fake("snap", {{"path", dir.file("latest.json")}, {"every", "20ms"}});
  SnapshotObserver obs;
  obs.start(fake.host());
  obs.on_tick(Tick{"BTCUSDT", 1000, 42000.5, 0.25, 77, 1, Side::buy});
  obs.on_tick(Tick{"BTCUSDT", 1500, 42001, 0.5, 78, 1, Side::sell});
  obs.on_candle(candle("BTCUSDT", "1m", 0, 41990, true));
  obs.on_candle(candle("BTCUSDT", "1m", 60000, 42001, false));
  obs.on_candle(candle("BTCUSDT", "5m", 0, 42001, false));
  obs.on_tick(Tick{"ETHUSDT", 1200, 2200, 1, -1, 1, Side::unknown});
  ASSERT_TRUE(eventually([&] {
    auto j = nlohmann::json::parse(read_file(dir.file("latest.json")), nullptr, false);
    return j.is_object() && j["symbols"].size() == 2 && j["symbols"]["BTCUSDT"]["tick"]["trade_id"] == 78;
  }));
  obs.on_candle(candle("BTCUSDT", "1m", 60000, 42003, true));  // the open 1m closes
  obs.stop();                                                  // writes the final state
  auto j = nlohmann::json::parse(read_file(dir.file("latest.json")));
  EXPECT_EQ(j["format"], "tickd.snapshot");
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["observer"], "snap");
  EXPECT_GT(j["generated_at"].get<TimeMs>(), 1700000000000);
  const auto& btc = j["symbols"]["BTCUSDT"];
  EXPECT_EQ(btc["tick"]["price"], 42001);
  EXPECT_EQ(btc["tick"]["side"], "sell");
  EXPECT_TRUE(btc["candles"]["1m"]["open"].is_null());
  EXPECT_EQ(btc["candles"]["1m"]["last_closed"]["open_time"], 60000);
  EXPECT_EQ(btc["candles"]["1m"]["last_closed"]["close"], 42003);
  EXPECT_EQ(btc["candles"]["1m"]["last_closed"]["close_time"], 120000);
  EXPECT_EQ(btc["candles"]["5m"]["open"]["close"], 42001);
  EXPECT_TRUE(btc["candles"]["5m"]["last_closed"].is_null());
  EXPECT_TRUE(j["symbols"]["ETHUSDT"]["candles"].empty());
  EXPECT_FALSE(std::filesystem::exists(dir.file("latest.json.tmp." + std::to_string(::getpid()))));
}

// A hundred symbols make a file of about 40 KB, rewritten every 10 ms
// while the worker keeps updating: every read must parse and be complete.
TEST(JsonSnapshotTest, ConcurrentReaderNeverSeesInvalidJson) {
  TempDir dir("snapshot");
  const std::string path = dir.file("latest.json");
  FakeHost fake("snap", {{"path", path}, {"every", "10ms"}});
  SnapshotObserver obs;
  obs.start(fake.host());
  std::vector<std::string> symbols;
  for (int i = 0; i < 100; ++i) symbols.push_back("SYM" + std::to_string(i));
  for (const auto& s : symbols) obs.on_candle(candle(s, "1m", 0, 100, false));
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, invalid{0}, incomplete{0}, versions{0};
  std::thread reader([&] {
    TimeMs last = 0;
    while (!done) {
      const std::string text = read_file(path);
      if (text.empty()) continue;  // not written yet
      auto j = nlohmann::json::parse(text, nullptr, false);
      ++reads;
      if (j.is_discarded()) {
        ++invalid;
      } else if (j["symbols"].size() != symbols.size()) {
        ++incomplete;
      } else if (j["generated_at"].get<TimeMs>() != last) {
        last = j["generated_at"].get<TimeMs>();
        ++versions;
      }
    }
  });
  // Until the reader has seen the file replaced 5 times (however slow the
  // machine), the worker keeps updating every symbol.
  const auto give_up = std::chrono::steady_clock::now() + 30s;
  TimeMs t = 0;
  while (versions < 5 && std::chrono::steady_clock::now() < give_up) {
    for (const auto& s : symbols)
      obs.on_tick(Tick{s, ++t, 100.0 + static_cast<double>(t % 7), 1, t, 1, Side::buy});
    std::this_thread::sleep_for(1ms);
  }
  done = true;
  reader.join();
  obs.stop();
  EXPECT_EQ(invalid.load(), 0);
  EXPECT_EQ(incomplete.load(), 0);
  EXPECT_GE(versions.load(), 5) << "the reader should have seen the file replaced many times";
  EXPECT_GE(reads.load(), versions.load());
}

TEST(JsonSnapshotTest, PerSymbolFilesWithSafeNames) {
  TempDir dir("snapshot");
  std::filesystem::create_directory(dir.file("symbols"));
  FakeHost fake("snap",
                {{"path", dir.file("all.json")}, {"symbols_dir", dir.file("symbols")}, {"every", "1h"}});
  SnapshotObserver obs;
  obs.start(fake.host());
  obs.on_tick(Tick{"NSE:INFY", 1, 1500.25, 1, -1, 1, Side::buy});
  obs.on_tick(Tick{"../evil", 2, 1, 1, -1, 1, Side::buy});
  obs.stop();
  auto infy = nlohmann::json::parse(read_file(dir.file("symbols/NSE_INFY.json")));
  EXPECT_EQ(infy["format"], "tickd.snapshot.symbol");
  EXPECT_EQ(infy["symbol"], "NSE:INFY");
  EXPECT_EQ(infy["tick"]["price"], 1500.25);
  EXPECT_TRUE(std::filesystem::exists(dir.file("symbols/___evil.json")));
  EXPECT_FALSE(std::filesystem::exists(dir.file("evil.json")));
  EXPECT_EQ(SnapshotObserver::file_name_for(""), "_");
}

TEST(JsonSnapshotTest, WriteErrorsAreCountedAndTheWorkerGoesOn) {
  TempDir dir("snapshot");
  const std::string sub = dir.file("gone");
  std::filesystem::create_directory(sub);
  FakeHost fake("snap", {{"path", sub + "/latest.json"}, {"every", "10ms"}});
  SnapshotObserver obs;
  obs.start(fake.host());
  std::filesystem::remove(sub);  // the folder disappears under the running plugin
  obs.on_tick(Tick{"A", 1, 1, 1, -1, 1, Side::buy});
  std::this_thread::sleep_for(100ms);
  obs.stop();
  bool warned = false;
  for (const auto& [level, text] : fake.logs())
    warned |= level == LogLevel::warn && text.find("cannot create") != std::string::npos;
  EXPECT_TRUE(warned);
}

// As start() (and `tickd --check-config`) reports them.
TEST(JsonSnapshotTest, ConfigErrorsNameTheKey) {
  TempDir dir("snapshot");
  auto expect_error = [](const nlohmann::json& config, const std::string& fragment) {
    const std::string error = test_support::start_error<SnapshotObserver>(config);
    EXPECT_NE(error.find(fragment), std::string::npos) << error;
  };
  expect_error(nlohmann::json::object(), "'config.path' is required");
  expect_error({{"path", dir.file("x.json")}, {"every", "1ms"}},
               "'config.every' must be a duration from 10ms to 1d, got '1ms'");
  expect_error({{"path", dir.file("x.json")}, {"every", "soon"}}, "'config.every' must be a duration");
  expect_error({{"path", "/nonexistent-folder/x.json"}},
               "'config.path' is in folder '/nonexistent-folder', which does not exist");
  expect_error({{"path", dir.file("x.json")}, {"symbols_dir", dir.file("nope")}}, "'config.symbols_dir'");
  expect_error({{"path", dir.file("x.json")}, {"colour", 1}}, "unknown key 'colour' in 'config'");
  // A typo with a suggestion, a wrong type.
  expect_error({{"path", dir.file("x.json")}, {"evry", "1s"}},
               "unknown key 'evry' in 'config' (did you mean 'every'?)");
  expect_error({{"path", dir.file("x.json")}, {"pretty", "very"}},
               "'config.pretty' must be true or false, got 'very'");
  expect_error({{"path", {{"file", "x.json"}}}}, "'config.path' must be a string, got a mapping");
}

// The tick and candles are the wire codec's event objects: what a program
// reads from the snapshot it can decode as it decodes tickd's other JSON.
TEST(JsonSnapshotTest, TickAndCandlesAreWireEvents) {
  TempDir dir("snapshot");
  FakeHost fake("snap", {{"path", dir.file("latest.json")}, {"every", "1h"}, {"pretty", true}});
  SnapshotObserver obs;
  obs.start(fake.host());
  const Tick tick{"BTCUSDT", 1000, 42000.123456789, 0.1, 77, 3, Side::buy};
  obs.on_tick(tick);
  obs.on_candle(candle("BTCUSDT", "1m", 60000, 0.1 + 0.2, false));
  obs.stop();
  const auto j = nlohmann::json::parse(read_file(dir.file("latest.json")));
  wire::Decoder decoder;
  wire::Event event;
  std::string error;
  // The event's symbol is a view into the text: the text must outlive it.
  const std::string tick_text = j["symbols"]["BTCUSDT"]["tick"].dump();
  ASSERT_TRUE(decoder.decode(tick_text, event, error)) << error;
  EXPECT_EQ(event.type, wire::Type::tick);
  EXPECT_EQ(event.tick.symbol, "BTCUSDT");
  EXPECT_EQ(event.tick.price, tick.price);  // the same bits
  EXPECT_EQ(event.tick.trade_count, 3u);
  const std::string candle_text = j["symbols"]["BTCUSDT"]["candles"]["1m"]["open"].dump();
  ASSERT_TRUE(decoder.decode(candle_text, event, error)) << error;
  EXPECT_EQ(event.type, wire::Type::candle);
  EXPECT_EQ(event.candle.close, 0.1 + 0.2);
  EXPECT_EQ(event.candle.open_time, 60000);
  EXPECT_FALSE(event.candle.closed);
  // pretty: indented, keys in the documented order.
  const std::string text = read_file(dir.file("latest.json"));
  EXPECT_EQ(text.rfind("{\n  \"format\": \"tickd.snapshot\",\n  \"version\": 1,", 0), 0u) << text;
}

}  // namespace
}  // namespace tickd::json_snapshot
