// How an exchange's own candle (Binance kline) enters a series.
//
// The rule that reconciles ticks and exchange candles: once a symbol receives
// a live exchange candle of interval X (a kline stream), its series of X and
// of every larger interval are owned by the exchange - X takes the exchange's
// candle as sent, a larger interval is merged from the X candles inside its
// bucket - and ticks build only the intervals smaller than X. A backfilled
// candle (REST, after an outage) merges the same way without taking ownership.
//
// Merging relies on the exchange candle of a bucket being a superset of what
// was already counted for that bucket (an earlier snapshot of it, or the ticks
// received before the outage): high and low are then max/min, close is the
// new close, and volume, quote volume and trade count grow by the difference.
#pragma once

#include "aggregate/series.hpp"
#include "model/market_data.hpp"

#include <algorithm>
#include <cstring>

namespace tickd::core {

// The open bucket becomes exactly `c` (a fuller view of the same bucket).
inline void assign_exchange_values(Series& s, const CandleData& c) {
  s.open = c.open;
  s.high = c.high;
  s.low = c.low;
  s.close = c.close;
  s.volume = c.volume;
  s.quote_volume = c.quote_volume;
  s.trade_count = c.trade_count;
}

// Adds sub-candle `c` to the open bucket of a larger interval; `counted` is
// what of c's bucket the series already holds (nullptr: nothing).
inline void merge_exchange_values(Series& s, const CandleData& c, const CandleData* counted) {
  // A sub-candle without trades (Binance's flat kline at the previous close)
  // adds no price: the exchange builds larger candles from trades only. Until
  // a traded one arrives, the bucket stays flat as the quiet ones left it.
  if (c.volume <= 0) return;
  const bool had_trades = s.volume > (counted ? counted->volume : 0);
  if (!had_trades) {
    assign_exchange_values(s, c);
    return;
  }
  s.high = std::max(s.high, c.high);
  s.low = std::min(s.low, c.low);
  s.close = c.close;
  s.volume += c.volume - (counted ? counted->volume : 0);
  s.quote_volume += c.quote_volume - (counted ? counted->quote_volume : 0);
  const std::uint64_t already = counted ? counted->trade_count : 0;
  if (c.trade_count >= already) s.trade_count += c.trade_count - already;
}

// A sub-candle already merged into a larger candle `s` was amended from
// `before` to `after` (a late trade, relayed): `s` takes the difference. Its
// close stays (the late trade is older than the close) unless nothing had
// traded in it yet; then it becomes `after`, as merging would have made it.
template <class Candle>
void amend_merged_values(Candle& s, const CandleData& before, const CandleData& after) {
  if (after.volume <= 0) return;
  if (s.volume <= 0) {
    s.open = after.open;
    s.high = after.high;
    s.low = after.low;
    s.close = after.close;
    s.volume = after.volume;
    s.quote_volume = after.quote_volume;
    s.trade_count = after.trade_count;
    return;
  }
  s.high = std::max(s.high, after.high);
  s.low = std::min(s.low, after.low);
  s.volume += after.volume - std::max(0.0, before.volume);
  s.quote_volume += after.quote_volume - std::max(0.0, before.quote_volume);
  if (after.trade_count >= before.trade_count) s.trade_count += after.trade_count - before.trade_count;
}

// Bit for bit: a relayed candle that changes nothing is a repeat.
inline bool same_candle(const CandleData& a, const CandleData& b) {
  auto same = [](double x, double y) { return std::memcmp(&x, &y, sizeof x) == 0; };
  return a.symbol == b.symbol && a.interval_s == b.interval_s && a.open_time == b.open_time &&
         same(a.open, b.open) && same(a.high, b.high) && same(a.low, b.low) && same(a.close, b.close) &&
         same(a.volume, b.volume) && same(a.quote_volume, b.quote_volume) && a.trade_count == b.trade_count &&
         a.flags == b.flags;
}

}  // namespace tickd::core
