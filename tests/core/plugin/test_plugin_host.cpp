// The plugin host with real plugin libraries: the fixtures in fixtures/, one
// per failure mode, loaded through Boost.DLL exactly as the daemon does.
#include "bus/dispatcher.hpp"
#include "plugin/observer_loader.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

namespace fs = std::filesystem;
using namespace tickd::core;
using namespace std::chrono_literals;

namespace {

class FakeServices : public HostServices {
 public:
  const SymbolTable& symbols() const override { return symbols_; }
  const std::vector<std::int64_t>& interval_seconds() const override { return intervals_; }
  std::uint32_t history_capacity() const override { return 100; }
  bool history(SymbolId, tickd::Interval, std::uint32_t, std::vector<CandleData>&) const override {
    return true;
  }
  void publish(tickd::Signal s) override {
    std::lock_guard<std::mutex> lock(mu_);
    published_.push_back(std::move(s));
  }
  std::string status_json() const override { return "{}"; }

  // Moves published signals onto the bus, as the daemon does on its feed thread.
  std::size_t pump(Dispatcher& d) {
    std::vector<tickd::Signal> batch;
    {
      std::lock_guard<std::mutex> lock(mu_);
      batch.swap(published_);
    }
    for (auto& s : batch) {
      auto rec = std::make_shared<SignalRecord>();
      rec->symbol = *symbols_.intern(s.symbol);
      rec->signal = s;
      d.dispatch(Event::of_signal(rec));
    }
    return batch.size();
  }

  SymbolTable symbols_;
  std::vector<std::int64_t> intervals_{60};
  std::mutex mu_;
  std::vector<tickd::Signal> published_;
};

struct TempDir {
  TempDir() {
    path = fs::temp_directory_path() /
           ("tickd-plugin-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path path;
  static inline int counter = 0;
};

std::vector<std::string> lines_of(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

ObserverConfig observer(const std::string& name, const std::string& plugin, nlohmann::json config = {}) {
  ObserverConfig oc;
  oc.name = name;
  oc.plugin = plugin;
  oc.config = config.is_null() ? nlohmann::json::object() : config;
  oc.mark = SourceMark{"test.yaml", 10, 5};
  oc.plugin_mark = SourceMark{"test.yaml", 11, 13};
  return oc;
}

CandleData candle(SymbolId s, tickd::TimeMs t, bool) {
  CandleData c;
  c.symbol = s;
  c.interval_s = 60;
  c.open_time = t;
  c.open = c.high = c.low = c.close = 100;
  c.volume = 1;
  c.flags = TICKD_CANDLE_CLOSED;
  return c;
}

class PluginHostTest : public ::testing::Test {
 protected:
  LoadedObserver load(const ObserverConfig& oc) {
    return load_observer(oc, dirs, services, services.symbols_,
                         [this](const std::string& o, const std::string& m) {
                           std::lock_guard<std::mutex> lock(errors_mu);
                           errors.push_back(o + ": " + m);
                         });
  }
  std::string load_error(const ObserverConfig& oc) {
    try {
      load(oc);
    } catch (const PluginError& e) {
      return e.what();
    }
    return "";
  }

  std::vector<std::string> dirs{TICKD_TEST_PLUGIN_DIR};
  FakeServices services;
  TempDir tmp;
  std::mutex errors_mu;
  std::vector<std::string> errors;
};

TEST_F(PluginHostTest, RecorderReceivesEventsInOrderAndIsStopped) {
  auto file = tmp.path / "events.txt";
  Dispatcher d;
  d.add(load(observer("rec", "fixture_recorder", {{"path", file.string()}})).worker);
  SymbolId btc = *services.symbols_.intern("BTCUSDT");
  TickData t{btc, 1000, 42.5, 1, 7, 1, tickd::Side::buy};
  d.dispatch(Event::of_tick(t));
  d.dispatch(Event::of_candle(candle(btc, 0, true), true));
  auto final = d.stop_all(std::chrono::steady_clock::now() + 5s);
  ASSERT_EQ(final.size(), 1u);
  EXPECT_TRUE(final[0].stopped_in_time);
  EXPECT_EQ(final[0].counters.undelivered, 0u);
  auto lines = lines_of(file);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "tick BTCUSDT 1000 42.500000 7");
  EXPECT_EQ(lines[1], "closed BTCUSDT 1m 0 100.000000");
  EXPECT_EQ(lines[2], "stop");
}

TEST_F(PluginHostTest, AbiMismatchNamesBothVersions) {
  auto msg = load_error(observer("old", "fixture_abi_mismatch"));
  EXPECT_NE(msg.find("test.yaml:11:13: observer 'old'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("ABI mismatch"), std::string::npos) << msg;
  EXPECT_NE(msg.find("built for ABI 2.0"), std::string::npos) << msg;
  EXPECT_NE(msg.find("provides ABI 1.2"), std::string::npos) << msg;
  EXPECT_NE(msg.find("tickd_fixture_abi_mismatch.so"), std::string::npos) << msg;
}

TEST_F(PluginHostTest, NewerMinorIsRefusedNamingBothVersions) {
  auto msg = load_error(observer("new", "fixture_newer_minor"));
  EXPECT_NE(msg.find("test.yaml:11:13: observer 'new'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("plugin was built for ABI 1.3, this tickd provides ABI 1.2"), std::string::npos) << msg;
}

TEST(AbiVersions, SameMajorAndHostMinorAtLeastThePlugins) {
  EXPECT_TRUE(abi_compatible(0x10001, 0x10000));  // 1.1 host, 1.0 plugin
  EXPECT_TRUE(abi_compatible(0x10001, 0x10001));
  EXPECT_FALSE(abi_compatible(0x10001, 0x10002));  // the plugin may use fields the host lacks
  EXPECT_FALSE(abi_compatible(0x10001, 0x20000));
  EXPECT_FALSE(abi_compatible(0x20000, 0x10000));
  EXPECT_EQ(abi_version_string(0x10002), "1.2");
}

TEST_F(PluginHostTest, PluginBuiltAgainstThe10HeaderLoadsAndRuns) {
  auto file = tmp.path / "events.txt";
  Dispatcher d;
  auto loaded = load(observer("old", "fixture_abi_1_0", {{"path", file.string()}}));
  std::vector<ObserverMetric> metrics;
  loaded.plugin->metrics(metrics);  // the 1.0 table has no metrics entry: nothing, no crash
  EXPECT_TRUE(metrics.empty());
  EXPECT_FALSE(loaded.plugin->can_restore());
  d.add(std::move(loaded.worker));
  SymbolId btc = *services.symbols_.intern("BTCUSDT");
  d.dispatch(Event::of_tick(TickData{btc, 1000, 42.5, 1, 7, 1, tickd::Side::buy}));
  d.dispatch(Event::of_candle(candle(btc, 0, true), true));
  auto final = d.stop_all(std::chrono::steady_clock::now() + 5s);
  ASSERT_EQ(final.size(), 1u);
  EXPECT_TRUE(final[0].stopped_in_time);
  EXPECT_EQ(lines_of(file),
            (std::vector<std::string>{"tick BTCUSDT 42.50", "closed BTCUSDT 100.00", "stop"}));
}

TEST_F(PluginHostTest, MissingExportIsNamed) {
  auto msg = load_error(observer("half", "fixture_missing_api"));
  EXPECT_NE(msg.find("missing export 'tickd_plugin_get_api'"), std::string::npos) << msg;
  msg = load_error(observer("other", "fixture_not_a_plugin"));
  EXPECT_NE(msg.find("not a tickd plugin: missing export 'tickd_plugin_abi_version'"), std::string::npos)
      << msg;
}

TEST_F(PluginHostTest, UnknownPluginListsWhatIsAvailable) {
  auto msg = load_error(observer("x", "fixture_recordr"));
  EXPECT_NE(msg.find("test.yaml:11:13: observer 'x': unknown plugin 'fixture_recordr'"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("fixture_recorder"), std::string::npos) << msg;
}

TEST_F(PluginHostTest, PathsOutsidePluginDirsAreRefused) {
  auto msg = load_error(observer("x", std::string(TICKD_TEST_PLUGIN_DIR) + "/tickd_fixture_recorder.so"));
  EXPECT_NE(msg.find("unknown plugin"), std::string::npos) << msg;
}

TEST_F(PluginHostTest, StartFailureNamesObserverAndCause) {
  auto msg = load_error(observer("bad", "fixture_recorder", {{"fail_start", true}}));
  EXPECT_NE(msg.find("test.yaml:10:5: observer 'bad'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("start failed: asked to fail in start"), std::string::npos) << msg;
}

TEST_F(PluginHostTest, ThrowingObserverIsSuspendedAndOthersGoOn) {
  auto good_file = tmp.path / "good.txt";
  auto bad = observer("thrower", "fixture_recorder", {{"throw_on", "all"}});
  bad.max_failures = 3;
  Dispatcher d;
  d.add(load(bad).worker);
  d.add(load(observer("good", "fixture_recorder", {{"path", good_file.string()}})).worker);
  SymbolId s = *services.symbols_.intern("ETHUSDT");
  for (int i = 0; i < 10; ++i) d.dispatch(Event::of_candle(candle(s, i * 60000, true), true));
  d.stop_all(std::chrono::steady_clock::now() + 5s);
  EXPECT_EQ(lines_of(good_file).size(), 11u);  // 10 candles + stop
  std::lock_guard<std::mutex> lock(errors_mu);
  ASSERT_EQ(errors.size(), 4u);  // three failures, then the suspension notice
  EXPECT_EQ(errors[0], "thrower: fixture throws on candle_closed");
  EXPECT_NE(errors[3].find("suspended after 3 consecutive failures"), std::string::npos);
}

TEST_F(PluginHostTest, SlowObserverUnderDropTicksNeverDelaysTheFeed) {
  auto slow_file = tmp.path / "slow.txt";
  auto fast_file = tmp.path / "fast.txt";
  auto slow = observer("slow", "fixture_recorder", {{"path", slow_file.string()}, {"sleep_ms", 20}});
  slow.queue = 16;
  slow.overflow = Overflow::drop_ticks;
  Dispatcher d;
  auto loaded = load(slow);
  ObserverWorker* slow_worker = loaded.worker.get();
  d.add(std::move(loaded.worker));
  d.add(load(observer("fast", "fixture_recorder", {{"path", fast_file.string()}})).worker);
  SymbolId s = *services.symbols_.intern("SOLUSDT");
  auto begin = std::chrono::steady_clock::now();
  for (int i = 0; i < 2000; ++i) {
    d.dispatch(Event::of_tick(TickData{s, i, 1.0, 1.0, i, 1, tickd::Side::sell}));
    if (i % 100 == 0) d.dispatch(Event::of_candle(candle(s, i * 60000, true), true));
  }
  auto took = std::chrono::steady_clock::now() - begin;
  EXPECT_LT(took, 500ms) << "the feed waited for a slow drop_ticks observer";
  auto counters = slow_worker->counters();
  EXPECT_GT(counters.dropped, 1000u);
  d.stop_all(std::chrono::steady_clock::now() + 30s);
  // Closed candles are never dropped, not even for the slow one.
  int closed = 0;
  for (auto& l : lines_of(slow_file)) closed += l.rfind("closed", 0) == 0;
  EXPECT_EQ(closed, 20);
  EXPECT_EQ(lines_of(fast_file).size(), 2000u + 20u + 1u);
}

TEST_F(PluginHostTest, SlowObserverUnderBlockIsLossless) {
  auto file = tmp.path / "slow.txt";
  auto slow = observer("slow", "fixture_recorder", {{"path", file.string()}, {"sleep_ms", 1}});
  slow.queue = 16;
  slow.overflow = Overflow::block;
  Dispatcher d;
  d.add(load(slow).worker);
  SymbolId s = *services.symbols_.intern("SOLUSDT");
  auto begin = std::chrono::steady_clock::now();
  for (int i = 0; i < 200; ++i) d.dispatch(Event::of_tick(TickData{s, i, 1.0, 1.0, i, 1, tickd::Side::sell}));
  // Back-pressure: the feed could not run more than the queue ahead of it.
  EXPECT_GT(std::chrono::steady_clock::now() - begin, 150ms);
  d.stop_all(std::chrono::steady_clock::now() + 10s);
  EXPECT_EQ(lines_of(file).size(), 201u);
}

TEST_F(PluginHostTest, PublishedSignalsReachTheOtherObservers) {
  auto other_file = tmp.path / "other.txt";
  auto pub = observer("strategy", "fixture_recorder", {{"publish_on_close", true}});
  pub.events = TICKD_EVENT_CANDLE_CLOSED;
  Dispatcher d;
  d.add(load(pub).worker);
  d.add(load(observer("sink", "fixture_recorder", {{"path", other_file.string()}})).worker);
  SymbolId s = *services.symbols_.intern("BTCUSDT");
  d.dispatch(Event::of_candle(candle(s, 0, true), true));
  std::size_t moved = 0;
  for (int i = 0; i < 200 && moved == 0; ++i) {
    std::this_thread::sleep_for(10ms);
    moved = services.pump(d);
  }
  ASSERT_EQ(moved, 1u);
  d.stop_all(std::chrono::steady_clock::now() + 5s);
  auto lines = lines_of(other_file);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], "signal BTCUSDT 60000 strategy");  // the host fills in the source
}

}  // namespace
