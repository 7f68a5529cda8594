// libFuzzer: one input = one Binance text frame, also tried as a REST klines body.
#include "feed/binance/binance_decoder.hpp"
#include "feed/binance/binance_rest.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

using namespace tickd::core;

// Checks what the decoder promises about every value it hands out.
class CheckingSink : public DecodedSink {
 public:
  void on_tick(const TickData& t) override {
    if (!(std::isfinite(t.price) && t.price > 0 && std::isfinite(t.quantity) && t.quantity >= 0 &&
          t.time >= 0 && t.trade_count >= 1))
      std::abort();
  }
  void on_exchange_candle(const CandleData& c) override {
    if (!(std::isfinite(c.open) && std::isfinite(c.high) && std::isfinite(c.low) && std::isfinite(c.close) &&
          std::isfinite(c.volume) && c.interval_s > 0))
      std::abort();
  }
};

SymbolTable& symbols() {
  static SymbolTable table;
  static const bool filled = [] {
    for (const char* name : {"BTCUSDT", "ETHUSDT", "DOTUSDT", "CTKUSDT", "SUSHIUSDT", "DENTUSDT", "ZILUSDT"})
      table.intern(name);
    return true;
  }();
  (void)filled;
  return table;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static BinanceDecoder decoder(symbols());
  static CheckingSink sink;
  const std::string_view frame(reinterpret_cast<const char*>(data), size);
  DecodeError error;
  const DecodeResult result = decoder.decode(frame, sink, error);
  if (result == DecodeResult::error && error.reason.empty()) std::abort();

  std::vector<CandleData> candles;
  std::string rest_error;
  parse_binance_klines(frame, 1, 60, 0, candles, rest_error);
  return 0;
}
