// libFuzzer: one input = one SmartAPI V2 binary message; also tried as text.
#include "feed/smartapi/smartapi_decoder.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace {

using namespace tickd::core;

class CheckingSink : public DecodedSink {
 public:
  void on_tick(const TickData& t) override {
    if (t.quantity < 0 || t.price == 0 || t.time <= 0 || !std::isfinite(t.price)) std::abort();
  }
  void on_exchange_candle(const CandleData&) override { std::abort(); }  // SmartAPI has none
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static SmartApiDecoder decoder({{smartapi_exchange::nse_cm, "2885", 1, 0},
                                  {smartapi_exchange::nse_fo, "2885", 2, 0},
                                  {smartapi_exchange::cde_fo, "1151", 3, 0},
                                  {smartapi_exchange::mcx_fo, "234230", 4, 10000.0}});
  static CheckingSink sink;
  DecodeError error;
  const DecodeResult result = decoder.decode_binary(data, size, sink, error);
  if (result == DecodeResult::error && error.reason.empty()) std::abort();
  decoder.decode_text(std::string_view(reinterpret_cast<const char*>(data), size), sink, error);
  return 0;
}
