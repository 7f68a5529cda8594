// Where a broker protocol decoder puts what it found in one message. Decoders
// are pure (bytes in, values out) so they can be fuzzed and benchmarked alone;
// the feed that owns the connection implements this sink.
#pragma once

#include "model/market_data.hpp"

#include <string_view>

namespace tickd::core {

class DecodedSink {
 public:
  virtual ~DecodedSink() = default;
  virtual void on_tick(const TickData& tick) = 0;
  // An exchange's own candle (Binance kline): flags has TICKD_CANDLE_CLOSED
  // when the exchange marked it final.
  virtual void on_exchange_candle(const CandleData& candle) = 0;
  // A message that is well-formed but not market data (acks, order updates,
  // errors from the broker): logged by the feed, rate-limited.
  virtual void on_notice(std::string_view text) { (void)text; }
};

// What went wrong with one message; the feed counts it and logs it (rate-limited).
struct DecodeError {
  std::string_view reason;  // static text
};

}  // namespace tickd::core
