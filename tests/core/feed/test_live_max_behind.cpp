// max_behind is on by default for the live broker feeds: a tick far behind the
// wall clock (here a real Binance frame recorded in 2021, served as live) is
// rejected as the daemon's default configuration has it, while the candles
// that are of the past by nature (history, a backfill) and a live candle that
// is still open pass.
#include "config/config_loader.hpp"
#include "feed/binance/binance_decoder.hpp"
#include "gate_test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace tickd::core {
namespace {

using namespace testing;

constexpr TimeMs kHour = 3600 * 1000;

GateConfig default_binance_gate() {
  return load_config_text("feed: {kind: binance, symbols: [BTCUSDT]}\naggregator: {intervals: [1m, 1w]}\n",
                          "t.yaml", "")
      .feed.gate;
}

struct LiveFixture {
  LiveFixture() : gate(default_binance_gate(), symbols, sink) {
    symbols.intern("BTCUSDT");
    gate.attach(feed);
  }
  SymbolTable symbols;
  PassedSink sink;
  ClockOnlyFeed feed{false};
  TickGate gate;
};

class DecodedToGate : public DecodedSink {
 public:
  explicit DecodedToGate(TickGate& gate) : gate_(gate) {}
  void on_tick(const TickData& tick) override { gate_.on_tick(tick); }
  void on_exchange_candle(const CandleData& candle) override { gate_.on_exchange_candle(candle); }

 private:
  TickGate& gate_;
};

TEST(LiveMaxBehind, ARecordedFrameServedAsLiveIsRejectedByDefault) {
  LiveFixture f;
  std::ifstream in(TICKD_DATA_DIR "/binance-ws-2021/spot-btc-eth-dot-2021-04-04.log");
  std::string frame;
  for (std::string line; std::getline(in, line);) {
    const auto colon = line.find(": {");
    if (colon != std::string::npos && line.find("\"BTCUSDT\"") != std::string::npos &&
        line.find("aggTrade") != std::string::npos) {
      frame = line.substr(colon + 2);
      break;
    }
  }
  ASSERT_FALSE(frame.empty());
  BinanceDecoder decoder(f.symbols);
  DecodedToGate to_gate(f.gate);
  DecodeError error;
  ASSERT_EQ(decoder.decode(frame, to_gate, error), DecodeResult::ok);
  EXPECT_TRUE(f.sink.ticks.empty());
  EXPECT_EQ(rejected(f.gate, GateReason::time_behind), 1u);
}

TEST(LiveMaxBehind, ADayIsTheLimit) {
  LiveFixture f;
  const TimeMs now = now_ms();
  f.gate.on_tick(gate_tick(now - 25 * kHour));
  f.gate.on_tick(gate_tick(now - 23 * kHour));  // yesterday's last trade in a morning snapshot
  f.gate.on_tick(gate_tick(now));
  EXPECT_EQ(rejected(f.gate, GateReason::time_behind), 1u);
  EXPECT_EQ(f.sink.ticks.size(), 2u);
}

CandleData candle(std::int32_t interval_s, TimeMs open_time) {
  CandleData k;
  k.interval_s = interval_s;
  k.open_time = open_time;
  k.open = k.high = k.low = k.close = 100;
  k.volume = 1;
  k.quote_volume = 100;
  return k;
}

TEST(LiveMaxBehind, CandlesOfThePastAndOpenLiveCandlesPass) {
  LiveFixture f;
  const TimeMs now = now_ms();
  const TimeMs minute = (now - 48 * kHour) / 60000 * 60000;
  f.gate.on_history_candles(0, *Interval::parse("1m"), {candle(60, minute)});  // bootstrap
  f.gate.on_backfill_candle(candle(60, minute + 60000));                       // after a 2-day outage
  f.gate.on_exchange_candle(candle(7 * 24 * 3600, now - 5 * 24 * kHour));      // this week's, still open
  EXPECT_EQ(f.sink.candles.size(), 3u);
  f.gate.on_exchange_candle(candle(60, minute));  // a live kline two days old
  EXPECT_EQ(f.sink.candles.size(), 3u);
  EXPECT_EQ(rejected(f.gate, GateReason::candle), 1u);
}

}  // namespace
}  // namespace tickd::core
