// The recorded Binance spot capture: its aggTrades, decoded and aggregated,
// must agree with the exchange's own in-progress kline snapshots wherever a
// snapshot's last trade id ends an aggTrade. Klines may arrive before the
// aggTrade they include, so each snapshot waits for its aggTrade.
#include "aggregate/aggregator.hpp"
#include "feed/binance/binance_decoder.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>

namespace tickd::core {
namespace {

using namespace testing;

struct Collect : DecodedSink {
  std::vector<TickData> ticks;
  void on_tick(const TickData& t) override { ticks.push_back(t); }
  void on_exchange_candle(const CandleData&) override {}
};

TEST(CaptureKlines, AggregatedAggTradesMatchInProgressKlineSnapshots) {
  std::ifstream in(TICKD_DATA_DIR "/binance-ws-2021/spot-btc-eth-dot-2021-04-04.log");
  ASSERT_TRUE(in);
  SymbolTable symbols;
  for (const char* s : {"BTCUSDT", "ETHUSDT", "DOTUSDT"}) symbols.intern(s);
  AggregatorConfig cfg = config_of({"1m"});
  cfg.update_throttle_ms = 0;
  RecordingSink sink;
  Aggregator agg(cfg, symbols, sink);
  BinanceDecoder decoder(symbols);
  std::map<std::pair<std::string, long long>, nlohmann::json> waiting;  // (symbol, L) -> kline
  std::map<std::string, long long> first_minute;  // the capture's first minute per symbol
  std::size_t compared = 0;
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(": {");
    if (colon == std::string::npos || line.rfind("http", 0) == 0) continue;
    const std::string frame = line.substr(colon + 2);
    const auto j = nlohmann::json::parse(frame);
    const auto& d = j["data"];
    const std::string event = d.value("e", "");
    const std::string symbol = d.value("s", "");
    if (event == "kline") {
      waiting[{symbol, d["k"]["L"].get<long long>()}] = d["k"];
    } else if (event == "aggTrade") {
      Collect c;
      DecodeError error;
      ASSERT_EQ(decoder.decode(frame, c, error), DecodeResult::ok) << error.reason;
      ASSERT_EQ(c.ticks.size(), 1u);
      if (!first_minute.count(symbol)) first_minute[symbol] = c.ticks[0].time / kMin * kMin;
      agg.on_tick(c.ticks[0]);
      auto it = waiting.find({symbol, d["l"].get<long long>()});
      if (it == waiting.end()) continue;
      const auto k = it->second;
      waiting.erase(it);
      if (k["t"].get<long long>() <= first_minute[symbol]) continue;  // minute began before the capture
      std::vector<CandleData> h;
      ASSERT_TRUE(agg.history(*symbols.find(symbol), iv("1m"), 1, h));
      ASSERT_EQ(h.size(), 1u);
      const CandleData& mine = h[0];
      const std::string what = symbol + " kline L=" + std::to_string(k["L"].get<long long>());
      EXPECT_EQ(mine.open_time, k["t"].get<long long>()) << what;
      EXPECT_EQ(mine.open, std::stod(k["o"].get<std::string>())) << what;
      EXPECT_EQ(mine.high, std::stod(k["h"].get<std::string>())) << what;
      EXPECT_EQ(mine.low, std::stod(k["l"].get<std::string>())) << what;
      EXPECT_EQ(mine.close, std::stod(k["c"].get<std::string>())) << what;
      const double v = std::stod(k["v"].get<std::string>());
      EXPECT_LE(std::fabs(mine.volume - v), 1e-9 * std::max(1.0, v)) << what;
      EXPECT_EQ(mine.trade_count, k["n"].get<std::uint64_t>()) << what;
      ++compared;
    }
  }
  EXPECT_GE(compared, 20u);
}

}  // namespace
}  // namespace tickd::core
