// One Angel One SmartAPI WebSocket V2 market data packet, fully decoded.
//
// Layout (little-endian; sources: Angel One "SmartAPI - WebSocket Streaming 2.0"
// documentation and angel-one/smartapi-python SmartApi/smartWebSocketV2.py
// `_parse_binary_data`):
//   0    uint8      subscription mode: 1 LTP, 2 Quote, 3 SnapQuote
//   1    uint8      exchange type: 1 nse_cm, 2 nse_fo, 3 bse_cm, 4 bse_fo, 5 mcx_fo, 7 ncx_fo, 13 cde_fo
//   2    char[25]   token, NUL-padded ASCII
//   27   int64      sequence number
//   35   int64      exchange timestamp, epoch ms
//   43   int64      last traded price                                  -> 51 bytes: LTP
//   51   int64      last traded qty;  59 int64 average price;  67 int64 volume
//   75   double     total buy qty;    83 double total sell qty
//   91   int64      open, high, low, close (91, 99, 107, 115)          -> 123 bytes: Quote
//   123  int64      last traded timestamp; 131 int64 open interest
//   139  double     OI change % (documented as a dummy field)
//   147  10 x 20    best five: int16 flag, int64 qty, int64 price, int16 orders
//   347  int64      upper circuit, lower circuit, 52w high, 52w low    -> 379 bytes: SnapQuote
// Prices are integers in paise (divisor 100). Currency derivatives (cde_fo, 13)
// are quoted with 7 decimals (divisor 10^7); the divisor can be overridden per
// instrument (SmartApiInstrument::price_divisor) should the broker differ.
// The best-five flag: the documentation says 1 = buy, 0 = sell while the
// Python client files flag 0 under buy; we follow the documentation and keep
// the raw flag in each level so a caller can tell.
// The last traded timestamp is taken as given (the documentation gives no
// unit; it is not used for ticks).
#pragma once

#include <tickd/types.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tickd::core {

enum class SmartApiMode : std::uint8_t { ltp = 1, quote = 2, snap_quote = 3 };

constexpr std::size_t kSmartApiLtpPacketSize = 51;
constexpr std::size_t kSmartApiQuotePacketSize = 123;
constexpr std::size_t kSmartApiSnapQuotePacketSize = 379;
constexpr std::size_t kSmartApiTokenBytes = 25;

// Exchange types of the protocol (the subscribe message's "exchangeType").
namespace smartapi_exchange {
constexpr std::uint8_t nse_cm = 1, nse_fo = 2, bse_cm = 3, bse_fo = 4, mcx_fo = 5, ncx_fo = 7, cde_fo = 13;
}

// Default price divisor for an exchange type: 10^7 for cde_fo, else 100.
double smartapi_default_price_divisor(std::uint8_t exchange_type);

struct SmartApiDepthLevel {
  std::int16_t flag = 0;
  std::int64_t quantity = 0;
  double price = 0;
  std::int16_t orders = 0;
};

struct SmartApiPacket {
  SmartApiMode mode = SmartApiMode::ltp;
  std::uint8_t exchange_type = 0;
  std::string_view token;  // points into the decoded buffer, NUL padding removed
  std::int64_t sequence_number = 0;
  TimeMs exchange_timestamp = 0;
  double last_traded_price = 0;
  // Quote and SnapQuote
  std::int64_t last_traded_quantity = 0;
  double average_traded_price = 0;
  std::int64_t volume = 0;
  double total_buy_quantity = 0;
  double total_sell_quantity = 0;
  double open = 0, high = 0, low = 0, close = 0;
  // SnapQuote
  std::int64_t last_traded_timestamp = 0;
  std::int64_t open_interest = 0;
  double open_interest_change_percent = 0;
  std::array<SmartApiDepthLevel, 5> buy{};   // in packet order, flag 1
  std::array<SmartApiDepthLevel, 5> sell{};  // in packet order, flag 0
  std::uint8_t buy_levels = 0, sell_levels = 0;
  double upper_circuit = 0, lower_circuit = 0;
  double week52_high = 0, week52_low = 0;

  bool has_volume() const { return mode != SmartApiMode::ltp; }
};

// Decodes one binary message. `price_divisor` <= 0 picks the exchange type's
// default. On failure returns false and sets `error` to static text ("packet
// too short", "bad subscription mode", "packet size does not match mode",
// "bad token"). Never reads outside [data, data + size).
bool decode_smartapi_packet(const std::uint8_t* data, std::size_t size, double price_divisor,
                            SmartApiPacket& out, std::string_view& error);

}  // namespace tickd::core
