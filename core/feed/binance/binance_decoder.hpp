// One Binance WebSocket text frame -> ticks and exchange candles.
//
// Accepts the combined-stream envelope {"stream":"btcusdt@aggTrade","data":{...}}
// and the raw payload of a single stream. Event types:
//   trade     -> TickData: time "T", price "p", quantity "q", trade_id "t", trade_count 1
//   aggTrade  -> TickData: as trade, trade_id "a", trade_count "l" - "f" + 1
//   kline     -> CandleData: interval "k.i", open_time "k.t", "k.o/h/l/c/v", quote volume
//                "k.q", trade count "k.n", TICKD_CANDLE_CLOSED when "k.x" is true
// Side: "m" (buyer is the maker) means the aggressor sold -> Side::sell, else buy.
// Subscription acks {"result":null,"id":1} and error objects {"code":..,"msg":..}
// go to sink.on_notice and return ok. Depth, bookTicker and other market events
// return ignored. A symbol that is not in the SymbolTable is an error
// ("unknown symbol"): the decoder never interns what a server sends.
//
// Not thread-safe: one decoder per connection, used on the feed thread. After
// warm-up (the largest frame seen and the symbols seen) decoding allocates nothing.
#pragma once

#include "feed/decoding/decode_result.hpp"
#include "feed/decoding/decoded_sink.hpp"
#include "model/symbol_table.hpp"

#include <cstddef>
#include <memory>
#include <string_view>

namespace tickd::core {

class BinanceDecoder {
 public:
  // Frames above this size are rejected without being parsed ("frame too large").
  static constexpr std::size_t kMaxFrameBytes = 1u << 20;

  // `symbols` must outlive the decoder; it is only read (SymbolTable::find).
  explicit BinanceDecoder(const SymbolTable& symbols);
  ~BinanceDecoder();
  BinanceDecoder(const BinanceDecoder&) = delete;
  BinanceDecoder& operator=(const BinanceDecoder&) = delete;

  // Never throws. On error, `error.reason` is static text and nothing was
  // delivered to the sink for this frame.
  DecodeResult decode(std::string_view frame, DecodedSink& sink, DecodeError& error);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tickd::core
