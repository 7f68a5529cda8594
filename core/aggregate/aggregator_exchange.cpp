// The aggregator's exchange path: an exchange's own candles (Binance klines),
// backfilled ones, and the candles another tickd relays (feed.kind: nats),
// including the amendments of candles already closed.
#include "aggregate/aggregator_impl.hpp"

#include "aggregate/exchange_merge.hpp"

namespace tickd::core {

bool Aggregator::Impl::open_bucket(SymbolId id, std::size_t k, Series& s, HistoryRing& ring,
                                   const Bucket& b) {
  if (s.is_open ? b.start < s.start : b.start < s.closed_until) return false;
  if (s.is_open && b.start > s.start) close_open(id, k, s, ring, 0);
  if (s.is_open) return true;
  std::uint64_t unbudgeted = kUnbudgeted;
  if (gap_fill && s.seen) fill_gaps(id, k, s, ring, b.start, kNoLimit, unbudgeted);
  s.start = b.start;
  s.end = b.end;
  s.flags = 0;
  s.open = s.high = s.low = s.close = 0;
  s.volume = s.quote_volume = 0;
  s.trade_count = 0;
  s.is_open = true;
  s.seen = true;
  return true;
}

void Aggregator::Impl::on_exchange_candle(const CandleData& c, bool claim) {
  int kx = -1;
  for (std::size_t k = 0; k < intervals; ++k)
    if (interval_s[k] == c.interval_s) kx = static_cast<int>(k);
  if (kx < 0 || c.symbol >= SymbolTable::kCapacity) return;
  SymbolSeries& ss = symbol_series(c.symbol);
  if (claim)
    for (std::size_t k = static_cast<std::size_t>(kx); k < intervals; ++k) ss.series[k].exchange = true;
  Series& sx = ss.series[kx];
  const bool counted = sx.is_open && sx.start == c.open_time;
  const CandleData before = sx.candle(c.symbol, c.interval_s);
  const Bucket bx = clocks[kx].bucket_at(c.open_time);
  if (!open_bucket(c.symbol, kx, sx, ss.rings[kx], bx)) return;  // already closed: a repeat
  assign_exchange_values(sx, c);
  // As sent, flags included: a relayed candle may be partial or a gap fill.
  sx.flags = c.flags & (TICKD_CANDLE_PARTIAL | TICKD_CANDLE_FILLED);
  finish_exchange_update(c.symbol, kx, sx, ss.rings[kx], c.closed());
  for (std::size_t k = static_cast<std::size_t>(kx) + 1; k < intervals; ++k) {
    Series& s = ss.series[k];
    if (s.direct) continue;
    const Bucket b = clocks[k].bucket_at(c.open_time);
    const bool fresh = !(s.is_open && s.start == b.start);
    if (!open_bucket(c.symbol, k, s, ss.rings[k], b)) continue;
    if (fresh) {
      assign_exchange_values(s, c);
      if (c.open_time != b.start) s.flags |= TICKD_CANDLE_PARTIAL;  // began before our first sub-candle
    } else {
      merge_exchange_values(s, c, counted ? &before : nullptr);
    }
    finish_exchange_update(c.symbol, k, s, ss.rings[k],
                           c.closed() && c.open_time + c.interval_s * 1000LL >= b.end);
  }
}

void Aggregator::Impl::own_series(SymbolId id, Interval interval) {
  const int k = interval_index(interval);
  if (k < 0 || id >= SymbolTable::kCapacity) return;
  Series& s = symbol_series(id).series[k];
  s.exchange = true;
  s.direct = true;
}

void Aggregator::Impl::finish_exchange_update(SymbolId id, std::size_t k, Series& s, HistoryRing& ring,
                                              bool close) {
  if (close)
    close_open(id, k, s, ring, 0);
  else
    emit_update(id, k, s, ring);
}

}  // namespace tickd::core
