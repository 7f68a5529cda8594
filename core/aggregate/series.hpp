// The feed thread's state of one (symbol, interval) series: the open candle
// and what gap fill and late-tick handling need to know about the past.
// Touched on every tick, so the fields the fast path reads come first.
#pragma once

#include "aggregate/history_ring.hpp"
#include "model/market_data.hpp"

#include <cstdint>
#include <limits>
#include <memory>

namespace tickd::core {

struct Series {
  // Open bucket [start, end); start == end (both 0) when no candle is open, so
  // the fast path's range test fails without a separate flag.
  TimeMs start = 0;
  TimeMs end = 0;
  double open = 0, high = 0, low = 0, close = 0;
  double volume = 0;
  double quote_volume = 0;
  std::uint64_t trade_count = 0;
  std::uint32_t flags = 0;
  bool is_open = false;
  bool dirty = false;     // an update was suppressed by the throttle
  bool seen = false;      // a real candle existed in this run: gap fill may follow it
  bool exchange = false;  // owned by exchange candles: ticks and the clock leave it alone
  bool direct = false;    // the source sends this series' own candles: never merged from smaller ones

  // End of the last closed bucket: ticks before it are late.
  TimeMs closed_until = std::numeric_limits<TimeMs>::min();
  double last_close = 0;
  // Next gap-fill candidate after closed_until, cached because finding it can
  // take a few timezone lookups and on_clock asks for every quiet series.
  bool fill_known = false;
  bool fill_exists = false;
  TimeMs fill_start = 0;
  TimeMs fill_end = 0;

  CandleData candle(SymbolId symbol, std::int32_t interval_s) const {
    CandleData c;
    c.symbol = symbol;
    c.interval_s = interval_s;
    c.open_time = start;
    c.open = open;
    c.high = high;
    c.low = low;
    c.close = close;
    c.volume = volume;
    c.quote_volume = quote_volume;
    c.trade_count = trade_count;
    c.flags = flags;
    return c;
  }
};

// Every series of one symbol, allocated on the symbol's first tick (or restore).
struct SymbolSeries {
  SymbolSeries(std::size_t intervals, std::uint32_t history)
      : series(new Series[intervals]), rings(new HistoryRing[intervals]) {
    for (std::size_t k = 0; k < intervals; ++k) rings[k].set_capacity(history);
  }
  std::unique_ptr<Series[]> series;
  std::unique_ptr<HistoryRing[]> rings;
  // The update throttle runs per symbol, not per series: a tick updates all
  // of a symbol's intervals together, so a client watching several of them
  // gets their updates in one write instead of one each.
  TimeMs last_update = std::numeric_limits<TimeMs>::min() / 2;  // time of the last emitted updates
};

}  // namespace tickd::core
