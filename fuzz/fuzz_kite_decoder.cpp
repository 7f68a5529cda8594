// libFuzzer: one input = one Kite binary frame; also tried as a text frame.
// (The instruments CSV has its own target: fuzz_instrument_master_decoder.)
#include "feed/kite/kite_decoder.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

using namespace tickd::core;

class CheckingSink : public DecodedSink {
 public:
  void on_tick(const TickData& t) override {
    if (t.quantity < 0 || t.price == 0) std::abort();
  }
  void on_exchange_candle(const CandleData&) override { std::abort(); }  // Kite has none
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // INFY (NSE), NIFTY 50 (index), a CDS and a BCD token: every divisor and layout.
  static KiteDecoder decoder(std::unordered_map<std::uint32_t, SymbolId>{
      {408065, 1}, {256265, 2}, {(1234u << 8) | 3u, 3}, {(1234u << 8) | 6u, 4}});
  static CheckingSink sink;
  DecodeError error;
  const DecodeResult result = decoder.decode_binary(data, size, 1625461900000, sink, error);
  if (result == DecodeResult::error && error.reason.empty()) std::abort();

  const std::string_view text(reinterpret_cast<const char*>(data), size);
  decoder.decode_text(text, sink, error);
  return 0;
}
