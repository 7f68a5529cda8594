// A DecodedSink that keeps everything it is given, for decoder tests.
#pragma once

#include "feed/decoding/decoded_sink.hpp"

#include <string>
#include <vector>

namespace tickd::core::testing {

class RecordingSink : public DecodedSink {
 public:
  void on_tick(const TickData& tick) override { ticks.push_back(tick); }
  void on_exchange_candle(const CandleData& candle) override { candles.push_back(candle); }
  void on_notice(std::string_view text) override { notices.emplace_back(text); }

  void clear() {
    ticks.clear();
    candles.clear();
    notices.clear();
  }

  std::vector<TickData> ticks;
  std::vector<CandleData> candles;
  std::vector<std::string> notices;
};

}  // namespace tickd::core::testing
