// Angel One SmartAPI WebSocket V2 messages -> ticks.
//
// Each binary WebSocket message is one packet (smartapi_packet.hpp). Text
// "pong" (the answer to our "ping" heartbeat) is ignored; any other text
// (error responses {"correlationID":..,"errorCode":..,"errorMessage":..})
// goes to on_notice.
//
// Tick rule, as for Kite (SmartAPI also sends snapshots, not trades):
//   Quote / SnapQuote: a tick only when `volume` grew since the previous packet
//     of that instrument; quantity = the growth. The first packet after
//     construction or reset() emits a tick with quantity = last traded qty
//     when volume > 0. time = exchange timestamp (ms).
//   LTP: every packet is a tick with quantity 0 (no volume in the packet).
// trade_count 1, side unknown, trade_id -1.
//
// Not thread-safe: one decoder per connection on the feed thread. Decoding
// allocates nothing (instrument state is created in the constructor).
#pragma once

#include "feed/decoding/decode_result.hpp"
#include "feed/decoding/decoded_sink.hpp"
#include "feed/smartapi/smartapi_packet.hpp"
#include "model/symbol_table.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tickd::core {

struct SmartApiInstrument {
  std::uint8_t exchange_type = smartapi_exchange::nse_cm;
  std::string token;  // "2885" (RELIANCE-EQ on nse_cm); at most 25 bytes
  SymbolId symbol = 0;
  double price_divisor = 0;  // <= 0: smartapi_default_price_divisor(exchange_type)
};

class SmartApiDecoder {
 public:
  // Larger binary messages are rejected ("packet too large").
  static constexpr std::size_t kMaxPacketBytes = kSmartApiSnapQuotePacketSize;

  // Instruments with an empty or over-long token are skipped (the feed's
  // config validation reports them); a packet for an instrument not listed is
  // an error ("unknown instrument token").
  explicit SmartApiDecoder(const std::vector<SmartApiInstrument>& instruments);

  DecodeResult decode_binary(const std::uint8_t* data, std::size_t size, DecodedSink& sink,
                             DecodeError& error);
  DecodeResult decode_text(std::string_view text, DecodedSink& sink, DecodeError& error);

  // Forgets the last volume of every instrument (after a reconnect).
  void reset();

 private:
  struct Key {
    std::uint8_t exchange_type = 0;
    std::array<char, kSmartApiTokenBytes> token{};  // NUL-padded, as on the wire
    bool operator==(const Key& other) const {
      return exchange_type == other.exchange_type && token == other.token;
    }
  };
  struct KeyHash {
    std::size_t operator()(const Key& key) const;
  };
  struct State {
    SymbolId symbol = 0;
    double price_divisor = 100;
    std::int64_t last_volume = 0;
    bool seen = false;
  };

  std::unordered_map<Key, State, KeyHash> instruments_;
};

}  // namespace tickd::core
