// What a NatsFeed delivers, recorded by kind: history restored from the
// stream, closed candles passed live, amendments.
#pragma once

#include "feed/feed.hpp"

#include <vector>

namespace tickd::core::testing {

class FeedRecorder : public FeedSink {
 public:
  void on_tick(const TickData&) override {}
  void on_history_candles(SymbolId, Interval, const std::vector<CandleData>& candles) override {
    history.insert(history.end(), candles.begin(), candles.end());
  }
  void on_exchange_candle(const CandleData& c) override { closed.push_back(c); }
  void on_amended_candle(const CandleData& c) override { amended.push_back(c); }
  std::vector<CandleData> history, closed, amended;
};

}  // namespace tickd::core::testing
