#include "logger_observer.hpp"
#include "support/temp_dir.hpp"

#include <tickd/testing/fake_host.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using tickd::logger::LoggerObserver;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

tickd::Candle candle() {
  tickd::Candle c;
  c.symbol = "BTCUSDT";
  c.interval = *tickd::Interval::parse("1m");
  c.open_time = 1617566580000;  // 2021-04-04T20:03:00Z
  c.open = 58000.5;
  c.high = 58010;
  c.low = 57990.25;
  c.close = 58001;
  c.volume = 12.5;
  c.quote_volume = 725006.25;
  c.vwap = 58000.5;
  c.trade_count = 321;
  c.closed = true;
  return c;
}

TEST(LoggerObserver, TextLinesToAFile) {
  tickd::test_support::TempDir dir;
  std::string path = dir.file("out.log");
  tickd::testing::FakeHost host("log", {{"output", path}});
  LoggerObserver obs;
  obs.start(host.host());
  obs.on_candle(candle());
  tickd::Tick t;
  t.symbol = "BTCUSDT";
  t.time = 1617566591326;
  t.price = 58001;
  t.quantity = 0.25;
  t.trade_id = 77;
  t.side = tickd::Side::sell;
  obs.on_tick(t);
  obs.stop();
  EXPECT_EQ(read(path),
            "candle_closed BTCUSDT 1m 2021-04-04T20:03:00.000Z O=58000.5 H=58010 L=57990.25 C=58001 V=12.5 "
            "VWAP=58000.5 trades=321\n"
            "tick BTCUSDT 2021-04-04T20:03:11.326Z price=58001 qty=0.25 side=sell id=77\n");
}

TEST(LoggerObserver, JsonLines) {
  tickd::test_support::TempDir dir;
  std::string path = dir.file("out.jsonl");
  tickd::testing::FakeHost host("log", {{"output", path}, {"format", "json"}});
  LoggerObserver obs;
  obs.start(host.host());
  obs.on_candle(candle());
  tickd::Signal s;
  s.symbol = "ETHUSDT";
  s.interval = *tickd::Interval::parse("5m");
  s.time = 1000;
  s.side = tickd::Side::buy;
  s.source = "strategy/ema";
  obs.on_signal(s);
  obs.stop();
  std::istringstream lines(read(path));
  std::string line;
  ASSERT_TRUE(std::getline(lines, line));
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["event"], "candle_closed");
  EXPECT_EQ(j["interval"], "1m");
  EXPECT_EQ(j["open_time"], 1617566580000);
  EXPECT_EQ(j["trades"], 321);
  EXPECT_DOUBLE_EQ(j["low"].get<double>(), 57990.25);
  ASSERT_TRUE(std::getline(lines, line));
  j = nlohmann::json::parse(line);
  EXPECT_EQ(j["event"], "signal");
  EXPECT_EQ(j["side"], "buy");
  EXPECT_EQ(j["source"], "strategy/ema");
}

TEST(LoggerObserver, RotatesFiles) {
  tickd::test_support::TempDir dir;
  std::string path = dir.file("rot.log");
  tickd::testing::FakeHost host("log", {{"output", path}, {"max_size_mb", 0.001}, {"max_files", 2}});
  LoggerObserver obs;
  obs.start(host.host());
  for (int i = 0; i < 100; ++i) obs.on_candle(candle());
  obs.stop();
  EXPECT_TRUE(std::filesystem::exists(dir.file("rot.1.log")));
  EXPECT_TRUE(std::filesystem::exists(dir.file("rot.2.log")));
  EXPECT_FALSE(std::filesystem::exists(dir.file("rot.3.log")));
  EXPECT_LE(std::filesystem::file_size(path), 1100u);
}

TEST(LoggerObserver, BadConfigIsADescriptiveError) {
  auto start_error = [](nlohmann::json config) -> std::string {
    tickd::testing::FakeHost host("log", config);
    LoggerObserver obs;
    try {
      obs.start(host.host());
    } catch (const std::exception& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(start_error({{"format", "xml"}}), "'config.format' must be one of text, json, got 'xml'");
  EXPECT_EQ(start_error({{"ouput", "x"}}), "unknown key 'ouput' in 'config' (did you mean 'output'?)");
  EXPECT_EQ(start_error({{"flush_interval", "1..5s"}}),
            "'config.flush_interval' must be a duration from 0s to 1h, got '1..5s'");
  EXPECT_NE(start_error({{"output", "/etc/hostname/not-a-dir/b.log"}}).find("cannot open log file"),
            std::string::npos);
}

}  // namespace
