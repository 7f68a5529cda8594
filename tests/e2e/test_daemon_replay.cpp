// The real-data oracle through the whole daemon: replaying Binance's own
// XRPETH aggTrades must give back Binance's own 1m klines, candle for candle.
#include "binance_data.hpp"
#include "e2e/daemon_fixture.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <sstream>

namespace tickd::e2e {
namespace {

TEST(DaemonReplay, ReproducesBinance1mKlinesFromAggTrades) {
  TempDir dir("tickd-e2e");
  const std::string data = TICKD_DATA_DIR "/binance-xrpeth-2019-10/";
  std::string candles = dir.file("candles.jsonl");
  std::string config =
      "feed:\n"
      "  kind: replay\n"
      "  replay:\n"
      "    files:\n"
      "      - {path: " +
      data +
      "XRPETH-aggTrades-2019-10-11_13.csv, format: binance_aggtrades, symbol: XRPETH}\n"
      "    speed: 0\n"
      "    exit_at_end: true\n"
      "aggregator:\n"
      "  intervals: [1m, 5m]\n"
      "  gap_fill: true\n"
      "  close_on_shutdown: false\n"
      "observers:\n"
      "  - name: out\n"
      "    plugin: logger\n"
      "    events: [candle_closed]\n"
      "    overflow: block\n"
      "    config: {format: json, output: " +
      candles + "}\n";
  std::string path = write_file(dir, "replay.yaml", config);
  std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);
  ASSERT_EQ(tickd.wait(), 0) << read_text(log);

  std::map<std::string, std::map<long long, nlohmann::json>> got;
  std::istringstream in(read_text(candles));
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line);
    got[j["interval"].get<std::string>()][j["open_time"].get<long long>()] = j;
  }
  for (const std::string interval : {"1m", "5m"}) {
    auto expected = test_servers::read_kline_csv(data + "XRPETH-" + interval + "-2019-10-11_13.csv");
    ASSERT_FALSE(expected.empty());
    expected.pop_back();  // recorded while still open: not closed by the replay either
    const auto& mine = got[interval];
    EXPECT_EQ(mine.size(), expected.size()) << interval;
    std::size_t compared = 0;
    for (const auto& k : expected) {
      const long long t = k.open_time;
      auto it = mine.find(t);
      ASSERT_NE(it, mine.end()) << interval << " candle " << t << " missing";
      const auto& c = it->second;
      EXPECT_EQ(c["open"].get<double>(), std::stod(k.open)) << interval << " " << t;
      EXPECT_EQ(c["high"].get<double>(), std::stod(k.high)) << interval << " " << t;
      EXPECT_EQ(c["low"].get<double>(), std::stod(k.low)) << interval << " " << t;
      EXPECT_EQ(c["close"].get<double>(), std::stod(k.close)) << interval << " " << t;
      const double volume = std::stod(k.volume);
      EXPECT_LE(std::fabs(c["volume"].get<double>() - volume), 1e-9 * std::max(1.0, volume)) << interval << t;
      ++compared;
    }
    EXPECT_EQ(compared, interval == "1m" ? 3559u : 711u);
  }
  EXPECT_NE(read_text(log).find("replay finished: 12477 ticks, 0 malformed rows"), std::string::npos)
      << read_text(log);
}

}  // namespace
}  // namespace tickd::e2e
