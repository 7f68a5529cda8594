// The daemon's internal value types: small, trivially copyable, symbol as id.
// They cross into plugins only after conversion to the C ABI structs.
#pragma once

#include "model/symbol_table.hpp"

#include <tickd/abi.h>
#include <tickd/types.hpp>

#include <cstdint>

namespace tickd::core {

struct TickData {
  SymbolId symbol = 0;
  TimeMs time = 0;
  double price = 0;
  double quantity = 0;
  std::int64_t trade_id = -1;
  std::uint32_t trade_count = 1;
  Side side = Side::unknown;
};

struct CandleData {
  SymbolId symbol = 0;
  std::int32_t interval_s = 0;
  TimeMs open_time = 0;
  double open = 0, high = 0, low = 0, close = 0;
  double volume = 0;
  double quote_volume = 0;
  std::uint64_t trade_count = 0;
  std::uint32_t flags = 0;  // TICKD_CANDLE_*

  bool closed() const { return (flags & TICKD_CANDLE_CLOSED) != 0; }
  double vwap() const { return volume > 0 ? quote_volume / volume : close; }
};

// The daemon's values and the SDK's differ only in how they name the symbol
// (an id here, the name there) and how they carry the flags. These are the one
// mapping between them; the ABI structs are reached only through the SDK's
// to_c/from_c, which honour struct_size.
inline Tick to_value(const TickData& t, std::string_view symbol) {
  Tick out;
  out.symbol = symbol;
  out.time = t.time;
  out.price = t.price;
  out.quantity = t.quantity;
  out.trade_id = t.trade_id;
  out.trade_count = t.trade_count;
  out.side = t.side;
  return out;
}

inline TickData from_value(const Tick& t, SymbolId symbol) {
  TickData out;
  out.symbol = symbol;
  out.time = t.time;
  out.price = t.price;
  out.quantity = t.quantity;
  out.trade_id = t.trade_id;
  out.trade_count = t.trade_count;
  out.side = t.side;
  return out;
}

inline Candle to_value(const CandleData& c, std::string_view symbol) {
  Candle out;
  out.symbol = symbol;
  out.interval = Interval::from_seconds(c.interval_s).value_or(Interval());
  out.open_time = c.open_time;
  out.open = c.open;
  out.high = c.high;
  out.low = c.low;
  out.close = c.close;
  out.volume = c.volume;
  out.quote_volume = c.quote_volume;
  out.vwap = c.vwap();
  out.trade_count = c.trade_count;
  out.set_flags(c.flags);
  return out;
}

inline CandleData from_value(const Candle& c, SymbolId symbol) {
  CandleData out;
  out.symbol = symbol;
  out.interval_s = static_cast<std::int32_t>(c.interval.seconds());
  out.open_time = c.open_time;
  out.open = c.open;
  out.high = c.high;
  out.low = c.low;
  out.close = c.close;
  out.volume = c.volume;
  out.quote_volume = c.quote_volume;
  out.trade_count = c.trade_count;
  out.flags = c.flags();
  return out;
}

// The plugin boundary and storage restore.
inline tickd_tick to_abi(const TickData& t, std::string_view symbol) {
  return detail::to_c(to_value(t, symbol));
}
inline tickd_candle to_abi(const CandleData& c, std::string_view symbol) {
  return detail::to_c(to_value(c, symbol));
}
inline CandleData from_abi(const tickd_candle& c, SymbolId symbol) {
  return from_value(detail::from_c(c), symbol);
}

}  // namespace tickd::core
