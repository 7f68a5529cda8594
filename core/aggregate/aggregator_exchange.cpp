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

int Aggregator::Impl::index_of_seconds(std::int32_t seconds) const {
  for (std::size_t k = 0; k < intervals; ++k)
    if (interval_s[k] == seconds) return static_cast<int>(k);
  return -1;
}

void Aggregator::Impl::on_exchange_candle(const CandleData& c, bool claim) {
  const int kx = index_of_seconds(c.interval_s);
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

void Aggregator::Impl::on_amended_candle(const CandleData& c) {
  const int kx = index_of_seconds(c.interval_s);
  if (kx < 0 || c.symbol >= SymbolTable::kCapacity) return;
  SymbolSeries& ss = symbol_series(c.symbol);
  Series& sx = ss.series[kx];
  if (sx.is_open && c.open_time >= sx.start) {  // not closed here yet: it closes it
    on_exchange_candle(c, true);
    return;
  }
  CandleData sent = c;  // as the exchange path closes a candle: flags as sent
  sent.flags = TICKD_CANDLE_CLOSED | (c.flags & (TICKD_CANDLE_PARTIAL | TICKD_CANDLE_FILLED));
  CandleData before, after;
  bool unchanged = false;
  const bool kept = ss.rings[kx].amend_closed(
      c.open_time,
      [&](CandleData& held) {
        before = held;
        unchanged = same_candle(held, sent);
        held = sent;
      },
      after);
  if (kept && unchanged) return;  // e.g. replayed after a restart onto what storage restored
  bump(candles_amended);
  if (emit) sink.on_candle(sent, CandleEventKind::closed);
  for (std::size_t k = static_cast<std::size_t>(kx) + 1; k < intervals; ++k) {
    Series& s = ss.series[k];
    if (s.direct) continue;  // relayed too: its own amendment comes on its own subject
    if (kept)
      amend_merged(c.symbol, k, s, ss.rings[k], before, sent);
    else
      bump(amended_unmerged);
  }
}

void Aggregator::Impl::amend_merged(SymbolId id, std::size_t k, Series& s, HistoryRing& ring,
                                    const CandleData& before, const CandleData& after) {
  const Bucket b = clocks[k].bucket_at(after.open_time);
  if (s.is_open && s.start == b.start) {
    amend_merged_values(s, before, after);
    emit_update(id, k, s, ring);
    return;
  }
  CandleData amended;
  if (!ring.amend_closed(
          b.start, [&](CandleData& held) { amend_merged_values(held, before, after); }, amended)) {
    bump(amended_unmerged);
    return;
  }
  bump(candles_amended);
  if (emit) sink.on_candle(amended, CandleEventKind::closed);
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
