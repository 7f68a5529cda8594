#include "aggregate/aggregator.hpp"

#include "aggregate/bucket_clock.hpp"
#include "aggregate/exchange_merge.hpp"
#include "aggregate/series.hpp"
#include "util/single_writer_counter.hpp"

#include <algorithm>
#include <atomic>
#include <limits>

namespace tickd::core {
namespace {

// How far ahead to look for the next in-session bucket; any session calendar
// with a trading day has one within a week and a day.
constexpr TimeMs kFillHorizonMs = 15LL * 86400 * 1000;
constexpr TimeMs kNoLimit = std::numeric_limits<TimeMs>::max();
// The work one event may cause, whatever the input: a gap longer than this
// many buckets leaves its older ones empty (counted as truncated), and one
// clock turn emits at most this many flat candles over all series, the rest on
// the next turns.
constexpr TimeMs kMaxFillPerGap = 100'000;
constexpr std::uint64_t kFillPerClockTurn = 100'000;
constexpr std::uint64_t kUnbudgeted = std::numeric_limits<std::uint64_t>::max();

enum class Outcome { none, dropped, amended };

}  // namespace

struct Aggregator::Impl {
  Impl(const AggregatorConfig& cfg, CandleSink& sink_)
      : config(cfg),
        sink(sink_),
        intervals(cfg.intervals.size()),
        throttle(cfg.update_throttle_ms),
        grace(cfg.close_grace_ms),
        amend(cfg.late_ticks == LatePolicy::amend),
        gap_fill(cfg.gap_fill),
        fill_cap(cfg.gap_fill_max > 0 ? std::min<TimeMs>(cfg.gap_fill_max, kMaxFillPerGap) : kMaxFillPerGap),
        blocks(new std::atomic<SymbolSeries*>[SymbolTable::kCapacity]),
        closed_per_interval(new std::atomic<std::uint64_t>[cfg.intervals.size()]) {
    for (std::size_t i = 0; i < SymbolTable::kCapacity; ++i)
      blocks[i].store(nullptr, std::memory_order_relaxed);
    for (std::size_t k = 0; k < intervals; ++k) {
      clocks.emplace_back(cfg.intervals[k], cfg.session);
      interval_s.push_back(static_cast<std::int32_t>(cfg.intervals[k].seconds()));
      closed_per_interval[k].store(0, std::memory_order_relaxed);
    }
  }

  ~Impl() {
    for (SymbolId id : active) delete blocks[id].load(std::memory_order_relaxed);
  }

  int interval_index(Interval interval) const {
    for (std::size_t k = 0; k < intervals; ++k)
      if (config.intervals[k] == interval) return static_cast<int>(k);
    return -1;
  }

  SymbolSeries& symbol_series(SymbolId id) {
    SymbolSeries* ss = blocks[id].load(std::memory_order_relaxed);
    if (ss) return *ss;
    ss = new SymbolSeries(intervals, config.history);
    active.push_back(id);
    blocks[id].store(ss, std::memory_order_release);
    return *ss;
  }

  void emit_update(SymbolId id, std::size_t k, Series& s, HistoryRing& ring) {
    const CandleData c = s.candle(id, interval_s[k]);
    ring.set_open(c);
    s.dirty = false;
    if (emit) sink.on_candle(c, CandleEventKind::update);
  }

  // `due`: the symbol's throttle window allows updates now.
  void maybe_emit_update(SymbolId id, std::size_t k, Series& s, HistoryRing& ring, bool due) {
    if (due)
      emit_update(id, k, s, ring);
    else
      s.dirty = true;
  }

  void emit_closed(std::size_t k, const CandleData& c, HistoryRing& ring) {
    ring.push_closed(c);
    bump(closed_per_interval[k]);
    if (emit) sink.on_candle(c, CandleEventKind::closed);
  }

  void close_open(SymbolId id, std::size_t k, Series& s, HistoryRing& ring, std::uint32_t extra_flags) {
    s.flags |= TICKD_CANDLE_CLOSED | extra_flags;
    const CandleData c = s.candle(id, interval_s[k]);
    s.closed_until = s.end;
    s.last_close = s.close;
    s.start = s.end = 0;
    s.is_open = false;
    s.dirty = false;
    s.fill_known = false;
    emit_closed(k, c, ring);
  }

  // Emits flat candles for the in-session buckets after the last closed one
  // that start before `before` and end no later than `until`: at most the
  // latest gap_fill_max (and kMaxFillPerGap) of them, older ones stay empty;
  // and no more than `budget` of them now, the rest on a later call.
  void fill_gaps(SymbolId id, std::size_t k, Series& s, HistoryRing& ring, TimeMs before, TimeMs until,
                 std::uint64_t& budget) {
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

  Outcome late_tick(std::size_t k, HistoryRing& ring, const TickData& tick, double quote) {
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
    if (emit) sink.on_candle(amended, CandleEventKind::closed);
    return Outcome::amended;
  }

  // Everything that is not an update of the open bucket: a late tick, or a tick
  // that closes the open candle (with gap fill) and opens a new one.
  Outcome slow_tick(SymbolId id, SymbolSeries& ss, std::size_t k, const TickData& tick, double quote,
                    bool due) {
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

  void on_tick(const TickData& tick) {
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

  void on_clock(TimeMs now) {
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

  // Closes the open bucket if it is older than `b`, then opens `b` (after gap
  // fill) if nothing is open. False when `b` is older than what is open or closed.
  bool open_bucket(SymbolId id, std::size_t k, Series& s, HistoryRing& ring, const Bucket& b) {
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

  void on_exchange_candle(const CandleData& c, bool claim) {
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

  void own_series(SymbolId id, Interval interval) {
    const int k = interval_index(interval);
    if (k < 0 || id >= SymbolTable::kCapacity) return;
    Series& s = symbol_series(id).series[k];
    s.exchange = true;
    s.direct = true;
  }

  void finish_exchange_update(SymbolId id, std::size_t k, Series& s, HistoryRing& ring, bool close) {
    if (close)
      close_open(id, k, s, ring, 0);
    else
      emit_update(id, k, s, ring);
  }

  void close_all() {
    if (!config.close_on_shutdown) return;
    for (SymbolId id : active) {
      SymbolSeries& ss = *blocks[id].load(std::memory_order_relaxed);
      for (std::size_t k = 0; k < intervals; ++k)
        if (ss.series[k].is_open) close_open(id, k, ss.series[k], ss.rings[k], TICKD_CANDLE_PARTIAL);
    }
  }

  void restore(SymbolId id, Interval interval, const std::vector<CandleData>& candles) {
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

  bool history(SymbolId id, Interval interval, std::uint32_t limit, std::vector<CandleData>& out) const {
    const int k = interval_index(interval);
    if (k < 0 || id >= SymbolTable::kCapacity) return false;
    const SymbolSeries* ss = blocks[id].load(std::memory_order_acquire);
    if (!ss) return false;
    ss->rings[k].copy(limit, out);
    return true;
  }

  AggregatorStats stats() const {
    AggregatorStats st;
    st.ticks = ticks.load(std::memory_order_relaxed);
    st.late_dropped = late_dropped.load(std::memory_order_relaxed);
    st.late_amended = late_amended.load(std::memory_order_relaxed);
    st.gap_filled = gap_filled.load(std::memory_order_relaxed);
    st.gap_fill_truncated = gap_fill_truncated.load(std::memory_order_relaxed);
    for (std::size_t k = 0; k < intervals; ++k)
      st.closed_per_interval.push_back(closed_per_interval[k].load(std::memory_order_relaxed));
    return st;
  }

  const AggregatorConfig config;
  CandleSink& sink;
  const std::size_t intervals;
  const TimeMs throttle;
  const TimeMs grace;
  const bool amend;
  const bool gap_fill;
  const TimeMs fill_cap;  // flat candles of one gap at most
  bool emit = true;
  std::atomic<bool> interrupted{false};  // any thread: stop filling, shutdown is under way
  std::vector<BucketClock> clocks;
  std::vector<std::int32_t> interval_s;
  // Indexed by symbol id; a slot is written once (by the feed thread), read by any.
  std::unique_ptr<std::atomic<SymbolSeries*>[]> blocks;
  std::vector<SymbolId> active;  // ids with a block, for on_clock and close_all (feed thread only)
  std::atomic<std::uint64_t> ticks{0}, late_dropped{0}, late_amended{0}, gap_filled{0}, gap_fill_truncated{0};
  std::unique_ptr<std::atomic<std::uint64_t>[]> closed_per_interval;
};

Aggregator::Aggregator(const AggregatorConfig& config, const SymbolTable& symbols, CandleSink& sink)
    : impl_(std::make_unique<Impl>(config, sink)) {
  (void)symbols;  // ids come from it; the aggregator itself never needs names
}

Aggregator::~Aggregator() = default;

void Aggregator::on_tick(const TickData& tick) { impl_->on_tick(tick); }
void Aggregator::on_clock(TimeMs now) { impl_->on_clock(now); }
void Aggregator::on_exchange_candle(const CandleData& candle) { impl_->on_exchange_candle(candle, true); }
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
