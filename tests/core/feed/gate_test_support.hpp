// Helpers of the feed gate tests: a sink that keeps what passed, a feed that
// only says whether its times are recorded.
#pragma once

#include "feed/tick_gate.hpp"

#include <vector>

namespace tickd::core::testing {

class PassedSink : public FeedSink {
 public:
  void on_tick(const TickData& tick) override { ticks.push_back(tick); }
  void on_exchange_candle(const CandleData& candle) override { candles.push_back(candle); }
  void on_backfill_candle(const CandleData& candle) override { candles.push_back(candle); }
  void on_history_candles(SymbolId, Interval, const std::vector<CandleData>& list) override {
    candles.insert(candles.end(), list.begin(), list.end());
  }
  void on_feed_end() override { ended = true; }

  std::vector<TickData> ticks;
  std::vector<CandleData> candles;
  bool ended = false;
};

class ClockOnlyFeed : public Feed {
 public:
  explicit ClockOnlyFeed(bool recorded) : recorded_(recorded) {}
  void start(FeedSink&) override {}
  void stop() override {}
  FeedStats stats() const override { return {}; }
  bool recorded() const override { return recorded_; }

 private:
  bool recorded_;
};

inline TimeMs now_ms() { return Feed::wall_clock_ms(); }

inline TickData gate_tick(TimeMs time, double price = 100, double quantity = 1, SymbolId symbol = 0) {
  TickData t;
  t.symbol = symbol;
  t.time = time;
  t.price = price;
  t.quantity = quantity;
  return t;
}

inline std::uint64_t rejected(const TickGate& gate, GateReason reason) {
  return gate.stats().rejected[static_cast<int>(reason)];
}

}  // namespace tickd::core::testing
