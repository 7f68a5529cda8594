// Absurd values in a replayed file or a Binance frame (1e308, 1e300, NaN, inf)
// are rejected and counted, and nothing that is not finite reaches a candle.
#include "aggregate/aggregator.hpp"
#include "feed/binance/binance_decoder.hpp"
#include "feed/replay/replay_feed.hpp"
#include "gate_test_support.hpp"

#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cmath>
#include <fstream>

namespace tickd::core {
namespace {

using namespace testing;

// Ticks to the aggregator, as the daemon's router does, and every candle kept.
struct AggregatingSink : FeedSink, CandleSink {
  explicit AggregatingSink(const SymbolTable& symbols) : aggregator(config(), symbols, *this) {}
  static AggregatorConfig config() {
    AggregatorConfig c;
    c.intervals = {*Interval::parse("1s"), *Interval::parse("1m")};
    c.gap_fill = true;
    c.update_throttle_ms = 0;
    return c;
  }
  void on_tick(const TickData& t) override { aggregator.on_tick(t); }
  void on_exchange_candle(const CandleData& c) override { aggregator.on_exchange_candle(c); }
  void on_candle(const CandleData& c, CandleEventKind) override { candles.push_back(c); }

  Aggregator aggregator;
  std::vector<CandleData> candles;
};

void expect_all_finite(const std::vector<CandleData>& candles) {
  for (const auto& c : candles) {
    for (double v : {c.open, c.high, c.low, c.close, c.volume, c.quote_volume, c.vwap()})
      ASSERT_TRUE(std::isfinite(v)) << c.open_time << " " << c.interval_s;
    ASSERT_LT(c.high, 1);  // XRPETH trades near 0.0014
  }
}

TEST(AbsurdValues, ReplayedRowsAreRejectedAndCounted) {
  test_support::TempDir dir;
  const std::string path = dir.file("xrpeth.csv");
  {
    std::ifstream real(TICKD_DATA_DIR "/binance-xrpeth-2019-10/XRPETH-aggTrades-2019-10-11_13.csv");
    std::ofstream out(path);
    std::string line;
    for (int i = 0; i < 200 && std::getline(real, line); ++i) {
      out << line << '\n';
      if (i != 100) continue;
      // agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match
      out << "1,1e308,23.0,1,1,1570752111620,True,True\n"
          << "2,0.0014,1e300,2,2,1570752111620,True,True\n"
          << "3,NaN,23.0,3,3,1570752111620,True,True\n"
          << "4,0.0014,inf,4,4,1570752111620,True,True\n"
          << "5,-inf,1,5,5,1570752111620,True,True\n"
          << "6,0.0014,nan,6,6,1570752111620,True,True\n";
    }
  }
  ReplayConfig config;
  config.files.push_back({path, "binance_aggtrades", "XRPETH"});
  boost::asio::io_context io;
  SymbolTable symbols;
  ReplayFeed feed(config, io, symbols);
  AggregatingSink sink(symbols);
  TickGate gate(GateConfig{}, symbols, sink);
  gate.attach(feed);
  feed.start(gate);
  io.run();
  sink.aggregator.close_all();
  EXPECT_EQ(feed.stats().decode_errors, 4u);  // not numbers: malformed rows
  EXPECT_EQ(rejected(gate, GateReason::price), 1u);
  EXPECT_EQ(rejected(gate, GateReason::quantity), 1u);
  EXPECT_EQ(sink.aggregator.stats().ticks, 199u);  // the 199 real trades after the header
  ASSERT_FALSE(sink.candles.empty());
  expect_all_finite(sink.candles);
}

TEST(AbsurdValues, BinanceFramesAreRejectedAndCounted) {
  SymbolTable symbols;
  symbols.intern("XRPETH");
  AggregatingSink sink(symbols);
  ClockOnlyFeed live(false);
  TickGate gate(GateConfig{}, symbols, sink);
  gate.attach(live);
  struct ToGate : DecodedSink {
    TickGate* gate;
    void on_tick(const TickData& t) override { gate->on_tick(t); }
    void on_exchange_candle(const CandleData& c) override { gate->on_exchange_candle(c); }
  } to_gate;
  to_gate.gate = &gate;
  BinanceDecoder decoder(symbols);
  auto trade = [](const std::string& p, const std::string& q) {
    return R"({"stream":"xrpeth@aggTrade","data":{"e":"aggTrade","E":1570752011700,"s":"XRPETH","a":1,"p":")" +
           p + R"(","q":")" + q + R"(","f":1,"l":1,"T":1570752011620,"m":true,"M":true}})";
  };
  auto kline = [](const std::string& h) {
    return R"({"stream":"xrpeth@kline_1m","data":{"e":"kline","E":1570752011700,"s":"XRPETH","k":{"t":1570752000000,"T":1570752059999,"s":"XRPETH","i":"1m","f":1,"L":2,"o":"0.0014","c":"0.0014","h":")" +
           h + R"(","l":"0.0014","v":"10","n":2,"x":false,"q":"0.014","V":"5","Q":"0.007","B":"0"}}})";
  };
  int decode_errors = 0;
  for (const auto& frame :
       {trade("0.0014", "10"), trade("1e308", "10"), trade("0.0014", "1e300"), trade("NaN", "10"),
        trade("0.0014", "inf"), trade("Infinity", "1"), kline("1e308"), kline("0.0015")}) {
    DecodeError error;
    decode_errors += decoder.decode(frame, to_gate, error) == DecodeResult::error;
  }
  EXPECT_EQ(decode_errors, 3);
  EXPECT_EQ(rejected(gate, GateReason::price), 1u);
  EXPECT_EQ(rejected(gate, GateReason::quantity), 1u);
  EXPECT_EQ(rejected(gate, GateReason::candle), 1u);
  EXPECT_EQ(sink.aggregator.stats().ticks, 1u);
  sink.aggregator.close_all();
  ASSERT_FALSE(sink.candles.empty());
  expect_all_finite(sink.candles);
}

TEST(AbsurdValues, APacedReplayDoesNotWaitForAFarFutureRow) {
  test_support::TempDir dir;
  const std::string path = dir.file("paced.csv");
  // time,symbol,price,qty: real XRPETH values; the middle row is dated 2100.
  std::ofstream(path) << "1570752011620,XRPETH,0.00141342,23\n4102444800000,XRPETH,0.00141266,54\n"
                      << "1570752011720,XRPETH,0.00141266,54\n";
  ReplayConfig config;
  config.files.push_back({path, "generic", ""});
  config.speed = 1;  // as recorded: 100 ms from the first row to the last
  boost::asio::io_context io;
  SymbolTable symbols;
  ReplayFeed feed(config, io, symbols);
  PassedSink sink;
  TickGate gate(GateConfig{}, symbols, sink);
  gate.attach(feed);
  const auto started = std::chrono::steady_clock::now();
  feed.start(gate);
  io.run();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  EXPECT_TRUE(sink.ended);
  EXPECT_EQ(sink.ticks.size(), 2u);
  EXPECT_EQ(rejected(gate, GateReason::time_ahead), 1u);
}

}  // namespace
}  // namespace tickd::core
