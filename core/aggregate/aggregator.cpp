// The aggregator's tick and clock path: ticks build candles, late ticks are
// dropped or amend closed candles, the clock closes quiet buckets and fills gaps.
#include "aggregate/aggregator_impl.hpp"

namespace tickd::core {

void Aggregator::Impl::fill_gaps(SymbolId id, std::size_t k, Series& s, HistoryRing& ring, TimeMs before,
                                 TimeMs until, std::uint64_t& budget) {
  const TimeMs earliest = std::min(before, until) - fill_cap * interval_s[k] * 1000LL;
  if (s.closed_until < earliest) {
    s.closed_until = earliest;
    s.fill_known = false;
    bump(gap_fill_truncated);
  }
  for (;; --budget) {
    if (budget == 0 || interrupted.load(std::memory_order_relaxed)) return;
    if (!s.fill_known) {
      const auto next = clocks[k].next_session_bucket(s.closed_until, s.closed_until + kFillHorizonMs);
      s.fill_known = true;
      s.fill_exists = next.has_value();
      if (next) {
        s.fill_start = next->start;
        s.fill_end = next->end;
      }
    }
    if (!s.fill_exists || s.fill_start >= before || s.fill_end > until) return;
    CandleData c;
    c.symbol = id;
    c.interval_s = interval_s[k];
    c.open_time = s.fill_start;
    c.open = c.high = c.low = c.close = s.last_close;
    c.flags = TICKD_CANDLE_CLOSED | TICKD_CANDLE_FILLED;
    s.closed_until = s.fill_end;
    s.fill_known = false;
    bump(gap_filled);
    emit_closed(k, c, ring);
  }
}

Aggregator::Impl::Outcome Aggregator::Impl::late_tick(std::size_t k, HistoryRing& ring, const TickData& tick,
                                                      double quote) {
  if (!amend) return Outcome::dropped;
  const TimeMs open_time = clocks[k].bucket_at(tick.time).start;
  CandleData amended;
  const bool found = ring.amend_closed(
      open_time,
      [&](CandleData& c) {
        if (c.flags & TICKD_CANDLE_FILLED) {
          c.open = c.high = c.low = c.close = tick.price;
          c.flags &= ~TICKD_CANDLE_FILLED;
        }
        // The close stays: the late tick is older than the trades already in the bucket.
        if (tick.price > c.high) c.high = tick.price;
        if (tick.price < c.low) c.low = tick.price;
        c.volume += tick.quantity;
        c.quote_volume += quote;
        c.trade_count += tick.trade_count;
      },
      amended);
  if (!found) return Outcome::dropped;
  bump(candles_amended);
  if (emit) sink.on_candle(amended, CandleEventKind::closed);
  return Outcome::amended;
}

Aggregator::Impl::Outcome Aggregator::Impl::slow_tick(SymbolId id, SymbolSeries& ss, std::size_t k,
                                                      const TickData& tick, double quote, bool due) {
  Series& s = ss.series[k];
  HistoryRing& ring = ss.rings[k];
  const TimeMs t = tick.time;
  if (s.is_open ? t < s.start : t < s.closed_until) return late_tick(k, ring, tick, quote);
  const Bucket b = clocks[k].bucket_at(t);
  if (s.is_open) close_open(id, k, s, ring, 0);
  std::uint64_t unbudgeted = kUnbudgeted;
  if (gap_fill && s.seen) fill_gaps(id, k, s, ring, b.start, kNoLimit, unbudgeted);
  s.start = b.start;
  s.end = b.end;
  s.open = s.high = s.low = s.close = tick.price;
  s.volume = tick.quantity;
  s.quote_volume = quote;
  s.trade_count = tick.trade_count;
  s.flags = s.seen ? 0 : TICKD_CANDLE_PARTIAL;
  s.seen = true;
  s.is_open = true;
  maybe_emit_update(id, k, s, ring, due);
  return Outcome::none;
}

void Aggregator::Impl::on_tick(const TickData& tick) {
  bump(ticks);
  if (tick.symbol >= SymbolTable::kCapacity) return;
  SymbolSeries& ss = symbol_series(tick.symbol);
  const double quote = tick.price * tick.quantity;
  const TimeMs t = tick.time;
  const bool due = throttle == 0 || t - ss.last_update >= throttle;
  bool dropped = false, amended = false;
  for (std::size_t k = 0; k < intervals; ++k) {
    Series& s = ss.series[k];
    if (s.exchange) continue;
    if (t >= s.start && t < s.end) {
      if (tick.price > s.high) s.high = tick.price;
      if (tick.price < s.low) s.low = tick.price;
      s.close = tick.price;
      s.volume += tick.quantity;
      s.quote_volume += quote;
      s.trade_count += tick.trade_count;
      maybe_emit_update(tick.symbol, k, s, ss.rings[k], due);
    } else {
      const Outcome o = slow_tick(tick.symbol, ss, k, tick, quote, due);
      dropped |= o == Outcome::dropped;
      amended |= o == Outcome::amended;
    }
  }
  if (due && !dropped) ss.last_update = t;
  if (dropped)
    bump(late_dropped);
  else if (amended)
    bump(late_amended);
}

void Aggregator::Impl::on_clock(TimeMs now) {
  const TimeMs close_before = now - grace;
  std::uint64_t budget = kFillPerClockTurn;
  for (SymbolId id : active) {
    SymbolSeries& ss = *blocks[id].load(std::memory_order_relaxed);
    // The trailing updates of a throttled symbol keep to the same rate.
    const bool update_due = now - ss.last_update >= throttle;
    bool flushed = false;
    for (std::size_t k = 0; k < intervals; ++k) {
      Series& s = ss.series[k];
      if (s.exchange) continue;  // the exchange says when its candles close
      if (s.is_open && s.end <= close_before) close_open(id, k, s, ss.rings[k], 0);
      if (s.is_open) {
        if (s.dirty && update_due) {
          emit_update(id, k, s, ss.rings[k]);
          flushed = true;
        }
      } else if (gap_fill && s.seen) {
        fill_gaps(id, k, s, ss.rings[k], kNoLimit, close_before, budget);
      }
    }
    if (flushed) ss.last_update = now;
  }
}

void Aggregator::Impl::close_all() {
  if (!config.close_on_shutdown) return;
  for (SymbolId id : active) {
    SymbolSeries& ss = *blocks[id].load(std::memory_order_relaxed);
    for (std::size_t k = 0; k < intervals; ++k)
      if (ss.series[k].is_open) close_open(id, k, ss.series[k], ss.rings[k], TICKD_CANDLE_PARTIAL);
  }
}

void Aggregator::Impl::restore(SymbolId id, Interval interval, const std::vector<CandleData>& candles) {
  const int k = interval_index(interval);
  if (k < 0 || id >= SymbolTable::kCapacity) return;
  HistoryRing& ring = symbol_series(id).rings[k];
  for (CandleData c : candles) {
    c.symbol = id;
    c.interval_s = interval_s[k];
    c.flags |= TICKD_CANDLE_CLOSED;
    ring.push_closed(c);
  }
}

bool Aggregator::Impl::history(SymbolId id, Interval interval, std::uint32_t limit,
                               std::vector<CandleData>& out) const {
  const int k = interval_index(interval);
  if (k < 0 || id >= SymbolTable::kCapacity) return false;
  const SymbolSeries* ss = blocks[id].load(std::memory_order_acquire);
  if (!ss) return false;
  ss->rings[k].copy(limit, out);
  return true;
}

AggregatorStats Aggregator::Impl::stats() const {
  AggregatorStats st;
  st.ticks = ticks.load(std::memory_order_relaxed);
  st.late_dropped = late_dropped.load(std::memory_order_relaxed);
  st.late_amended = late_amended.load(std::memory_order_relaxed);
  st.gap_filled = gap_filled.load(std::memory_order_relaxed);
  st.gap_fill_truncated = gap_fill_truncated.load(std::memory_order_relaxed);
  st.candles_amended = candles_amended.load(std::memory_order_relaxed);
  st.amended_unmerged = amended_unmerged.load(std::memory_order_relaxed);
  for (std::size_t k = 0; k < intervals; ++k)
    st.closed_per_interval.push_back(closed_per_interval[k].load(std::memory_order_relaxed));
  return st;
}

Aggregator::Aggregator(const AggregatorConfig& config, const SymbolTable& symbols, CandleSink& sink)
    : impl_(std::make_unique<Impl>(config, sink)) {
  (void)symbols;  // ids come from it; the aggregator itself never needs names
}

Aggregator::~Aggregator() = default;

void Aggregator::on_tick(const TickData& tick) { impl_->on_tick(tick); }
void Aggregator::on_clock(TimeMs now) { impl_->on_clock(now); }
void Aggregator::on_exchange_candle(const CandleData& candle) { impl_->on_exchange_candle(candle, true); }
void Aggregator::on_amended_candle(const CandleData& candle) { impl_->on_amended_candle(candle); }
void Aggregator::on_backfill_candle(const CandleData& candle) { impl_->on_exchange_candle(candle, false); }
void Aggregator::own_series(SymbolId symbol, Interval interval) { impl_->own_series(symbol, interval); }
void Aggregator::close_all() { impl_->close_all(); }
void Aggregator::restore(SymbolId symbol, Interval interval, const std::vector<CandleData>& candles) {
  impl_->restore(symbol, interval, candles);
}
void Aggregator::set_emit(bool emit) { impl_->emit = emit; }
void Aggregator::interrupt() { impl_->interrupted.store(true, std::memory_order_relaxed); }
bool Aggregator::history(SymbolId symbol, Interval interval, std::uint32_t limit,
                         std::vector<CandleData>& out) const {
  return impl_->history(symbol, interval, limit, out);
}
AggregatorStats Aggregator::stats() const { return impl_->stats(); }
const AggregatorConfig& Aggregator::config() const { return impl_->config; }

}  // namespace tickd::core
