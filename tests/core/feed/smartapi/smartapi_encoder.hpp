// Builds SmartAPI WebSocket V2 packets from field values, following the
// documented little-endian layout, so that tests know every decoded value.
#pragma once

#include "feed/smartapi/smartapi_packet.hpp"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace tickd::core::testing {

struct SmartApiLevelSpec {
  std::int16_t flag = 0;
  std::int64_t quantity = 0;
  std::int64_t price = 0;  // paise
  std::int16_t orders = 0;
};

struct SmartApiPacketSpec {
  std::uint8_t mode = 1;
  std::uint8_t exchange_type = 1;
  std::string token = "2885";
  std::int64_t sequence_number = 0;
  std::int64_t exchange_timestamp = 0;
  std::int64_t ltp = 0;  // prices in paise (or 10^-7 for cde_fo)
  std::int64_t last_traded_quantity = 0, average_price = 0, volume = 0;
  double total_buy_quantity = 0, total_sell_quantity = 0;
  std::int64_t open = 0, high = 0, low = 0, close = 0;
  std::int64_t last_traded_timestamp = 0, open_interest = 0;
  double open_interest_change_percent = 0;
  SmartApiLevelSpec levels[10];
  std::int64_t upper_circuit = 0, lower_circuit = 0, week52_high = 0, week52_low = 0;
};

inline void put_le(std::vector<std::uint8_t>& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

inline void put_i64(std::vector<std::uint8_t>& out, std::int64_t v) {
  put_le(out, static_cast<std::uint64_t>(v), 8);
}

inline void put_f64(std::vector<std::uint8_t>& out, double v) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  put_le(out, bits, 8);
}

inline std::vector<std::uint8_t> encode_smartapi_packet(const SmartApiPacketSpec& s) {
  std::vector<std::uint8_t> out;
  out.push_back(s.mode);
  out.push_back(s.exchange_type);
  for (std::size_t i = 0; i < kSmartApiTokenBytes; ++i)
    out.push_back(i < s.token.size() ? static_cast<std::uint8_t>(s.token[i]) : 0);
  put_i64(out, s.sequence_number);
  put_i64(out, s.exchange_timestamp);
  put_i64(out, s.ltp);
  if (s.mode == 1) return out;
  put_i64(out, s.last_traded_quantity);
  put_i64(out, s.average_price);
  put_i64(out, s.volume);
  put_f64(out, s.total_buy_quantity);
  put_f64(out, s.total_sell_quantity);
  put_i64(out, s.open);
  put_i64(out, s.high);
  put_i64(out, s.low);
  put_i64(out, s.close);
  if (s.mode == 2) return out;
  put_i64(out, s.last_traded_timestamp);
  put_i64(out, s.open_interest);
  put_f64(out, s.open_interest_change_percent);
  for (const auto& level : s.levels) {
    put_le(out, static_cast<std::uint16_t>(level.flag), 2);
    put_i64(out, level.quantity);
    put_i64(out, level.price);
    put_le(out, static_cast<std::uint16_t>(level.orders), 2);
  }
  put_i64(out, s.upper_circuit);
  put_i64(out, s.lower_circuit);
  put_i64(out, s.week52_high);
  put_i64(out, s.week52_low);
  return out;
}

// RELIANCE-EQ (nse_cm token 2885) in SnapQuote mode with every field set.
inline SmartApiPacketSpec reliance_snap_quote() {
  SmartApiPacketSpec s;
  s.mode = 3;
  s.exchange_type = 1;
  s.token = "2885";
  s.sequence_number = 25473419;
  s.exchange_timestamp = 1700462701000;  // 2023-11-20T06:45:01Z (12:15:01 IST)
  s.ltp = 233525;
  s.last_traded_quantity = 12;
  s.average_price = 233108;
  s.volume = 2917366;
  s.total_buy_quantity = 412377.0;
  s.total_sell_quantity = 598712.0;
  s.open = 232000;
  s.high = 234000;
  s.low = 231510;
  s.close = 232175;
  s.last_traded_timestamp = 1700462700;
  s.open_interest = 0;
  s.open_interest_change_percent = 0.5;
  for (int i = 0; i < 5; ++i) {
    s.levels[i] = {1, 100 + i, 233520 - 5 * i, static_cast<std::int16_t>(1 + i)};
    s.levels[5 + i] = {0, 200 + i, 233525 + 5 * i, static_cast<std::int16_t>(2 + i)};
  }
  s.upper_circuit = 255390;
  s.lower_circuit = 208960;
  s.week52_high = 263300;
  s.week52_low = 218020;
  return s;
}

}  // namespace tickd::core::testing
