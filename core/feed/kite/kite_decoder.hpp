// Zerodha Kite Connect WebSocket messages -> ticks.
//
// Binary frame: uint16 packet count, then per packet a uint16 length and the
// packet (see kite_packet.hpp), all big-endian. A 1-byte frame is the
// heartbeat (ignored). Text frames (order updates, errors) go to on_notice.
//
// Tick rule. Kite sends snapshots (quote/full at most about once a second),
// not trades, so a tick is derived per snapshot:
//   quote / full: a tick only when volume_traded grew since the previous
//     packet of that token; quantity = the growth (so that the candle volume
//     sums to the exchange's day volume even when several trades fall between
//     two snapshots; summing last_traded_quantity would lose them). The first
//     packet of a token after construction or reset() carries no known growth:
//     it emits a tick with quantity = last_traded_quantity when volume_traded > 0.
//     time = last_trade_time (full) or `now_ms` (quote: no time in the packet).
//   ltp, index quote, index full: no volume in the packet, so EVERY packet is a
//     tick with quantity 0 (it moves the price, adds nothing to volume);
//     time = exchange_timestamp (index full) or `now_ms`.
// trade_count is 1, side unknown, trade_id -1.
//
// Not thread-safe: one decoder per connection on the feed thread. Decoding
// allocates nothing: the per-token state is created in the constructor.
#pragma once

#include "feed/decoding/decode_result.hpp"
#include "feed/decoding/decoded_sink.hpp"
#include "feed/kite/kite_packet.hpp"
#include "model/symbol_table.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <unordered_map>

namespace tickd::core {

class KiteDecoder {
 public:
  // Largest binary frame accepted ("frame too large" beyond it): 3000 full
  // packets (Kite's per-connection instrument limit) plus headers.
  static constexpr std::size_t kMaxFrameBytes = 2 + 3000 * (2 + kKiteFullPacketSize);

  // Instrument token -> symbol; a packet for a token not in the map is an error.
  explicit KiteDecoder(const std::unordered_map<std::uint32_t, SymbolId>& tokens);

  // One binary frame. `now_ms` stamps packets that carry no time of their own.
  // Packets are independent: the good ones are delivered even when another in
  // the same frame is bad; the result is then error with the first reason.
  DecodeResult decode_binary(const std::uint8_t* data, std::size_t size, TimeMs now_ms, DecodedSink& sink,
                             DecodeError& error);

  // One text frame: delivered to on_notice (ok); an empty frame is ignored.
  DecodeResult decode_text(std::string_view text, DecodedSink& sink, DecodeError& error);

  // Forgets the last volume of every token, e.g. after a reconnect when the
  // volume traded during the outage must not become one giant tick.
  void reset();

 private:
  struct TokenState {
    SymbolId symbol = 0;
    std::uint32_t last_volume = 0;
    bool seen = false;
  };
  void emit(const KitePacket& packet, TokenState& state, TimeMs now_ms, DecodedSink& sink);

  std::unordered_map<std::uint32_t, TokenState> tokens_;
};

}  // namespace tickd::core
