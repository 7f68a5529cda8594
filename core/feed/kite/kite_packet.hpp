// One Zerodha Kite Connect market data packet, fully decoded.
//
// Layout (all big-endian; prices are int32 in the segment's smallest unit,
// quantities and times uint32; source: zerodha/pykiteconnect kiteconnect/ticker.py
// `_parse_binary` and https://kite.trade/docs/connect/v3/websocket/):
//   8 bytes   ltp          token, last price
//   28 bytes  index quote  token, last price, high, low, open, close, price change
//   32 bytes  index full   index quote + exchange timestamp
//   44 bytes  quote        token, last price, last qty, avg price, volume, total buy qty,
//                          total sell qty, open, high, low, close
//   184 bytes full         quote + last trade time, oi, oi day high, oi day low,
//                          exchange timestamp, depth: 5 buy then 5 sell levels of
//                          {qty uint32, price int32, orders uint16, 2 bytes padding}
// Price divisor by segment (token & 0xff): 3 (CDS, currency) 10^7, 6 (BCD) 10^4,
// anything else 100 (paise). Segment 9 is indices: not tradable.
#pragma once

#include <tickd/types.hpp>

#include <array>
#include <cstddef>
#include <cstdint>

namespace tickd::core {

enum class KitePacketMode { ltp, index_quote, index_full, quote, full };

struct KiteDepthLevel {
  std::uint32_t quantity = 0;
  double price = 0;
  std::uint16_t orders = 0;
};

struct KitePacket {
  KitePacketMode mode = KitePacketMode::ltp;
  std::uint32_t instrument_token = 0;
  bool tradable = true;
  double last_price = 0;
  // quote / full only
  std::uint32_t last_traded_quantity = 0;
  double average_traded_price = 0;
  std::uint32_t volume_traded = 0;
  std::uint32_t total_buy_quantity = 0;
  std::uint32_t total_sell_quantity = 0;
  // every mode but ltp
  double open = 0, high = 0, low = 0, close = 0;
  // Net change: last_price - close, as Kite's published decoded ticks (and
  // gokiteconnect) report it; pykiteconnect reports a percentage instead.
  // Computed for every mode but ltp; the index packets' own field is not used.
  double change = 0;
  // full only (index full: exchange_timestamp only); UTC ms, 0 when absent
  TimeMs last_trade_time = 0;
  std::uint32_t oi = 0, oi_day_high = 0, oi_day_low = 0;
  TimeMs exchange_timestamp = 0;
  std::array<KiteDepthLevel, 5> buy{};
  std::array<KiteDepthLevel, 5> sell{};

  bool has_volume() const { return mode == KitePacketMode::quote || mode == KitePacketMode::full; }
};

// Size of the fixed layouts; other sizes are not Kite packets.
constexpr std::size_t kKiteLtpPacketSize = 8;
constexpr std::size_t kKiteIndexQuotePacketSize = 28;
constexpr std::size_t kKiteIndexFullPacketSize = 32;
constexpr std::size_t kKiteQuotePacketSize = 44;
constexpr std::size_t kKiteFullPacketSize = 184;

// Divisor that turns a packet price of this instrument into its currency unit.
double kite_price_divisor(std::uint32_t instrument_token);

// Decodes one packet (without its 2-byte length prefix). False when `size` is
// not one of the layouts above; never reads outside [data, data + size).
bool decode_kite_packet(const std::uint8_t* data, std::size_t size, KitePacket& out);

}  // namespace tickd::core
