// The aggregator's state and the steps it is made of, shared by its two
// paths: ticks and the clock (aggregator.cpp) and an exchange's or a relay's
// own candles (aggregator_exchange.cpp). Private to core/aggregate.
#pragma once

#include "aggregate/aggregator.hpp"
#include "aggregate/bucket_clock.hpp"
#include "aggregate/series.hpp"
#include "util/single_writer_counter.hpp"

#include <algorithm>
#include <atomic>
#include <limits>
#include <memory>
#include <vector>

namespace tickd::core {

struct Aggregator::Impl {
  // How far ahead to look for the next in-session bucket; any session calendar
  // with a trading day has one within a week and a day.
  static constexpr TimeMs kFillHorizonMs = 15LL * 86400 * 1000;
  static constexpr TimeMs kNoLimit = std::numeric_limits<TimeMs>::max();
  // The work one event may cause, whatever the input: a gap longer than this
  // many buckets leaves its older ones empty (counted as truncated), and one
  // clock turn emits at most this many flat candles over all series, the rest on
  // the next turns.
  static constexpr TimeMs kMaxFillPerGap = 100'000;
  static constexpr std::uint64_t kFillPerClockTurn = 100'000;
  static constexpr std::uint64_t kUnbudgeted = std::numeric_limits<std::uint64_t>::max();

  enum class Outcome { none, dropped, amended };

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

  // Ticks and the clock (aggregator.cpp).

  // Emits flat candles for the in-session buckets after the last closed one
  // that start before `before` and end no later than `until`: at most the
  // latest gap_fill_max (and kMaxFillPerGap) of them, older ones stay empty;
  // and no more than `budget` of them now, the rest on a later call.
  void fill_gaps(SymbolId id, std::size_t k, Series& s, HistoryRing& ring, TimeMs before, TimeMs until,
                 std::uint64_t& budget);

  Outcome late_tick(std::size_t k, HistoryRing& ring, const TickData& tick, double quote);

  // Everything that is not an update of the open bucket: a late tick, or a tick
  // that closes the open candle (with gap fill) and opens a new one.
  Outcome slow_tick(SymbolId id, SymbolSeries& ss, std::size_t k, const TickData& tick, double quote,
                    bool due);

  void on_tick(const TickData& tick);

  void on_clock(TimeMs now);

  void close_all();

  void restore(SymbolId id, Interval interval, const std::vector<CandleData>& candles);

  bool history(SymbolId id, Interval interval, std::uint32_t limit, std::vector<CandleData>& out) const;

  AggregatorStats stats() const;

  // Exchange and relayed candles (aggregator_exchange.cpp).

  // Closes the open bucket if it is older than `b`, then opens `b` (after gap
  // fill) if nothing is open. False when `b` is older than what is open or closed.
  bool open_bucket(SymbolId id, std::size_t k, Series& s, HistoryRing& ring, const Bucket& b);

  void on_exchange_candle(const CandleData& c, bool claim);

  void on_amended_candle(const CandleData& c);
  // The larger series `s` (interval k) merged the sub-candle `before`, now amended to `after`.
  void amend_merged(SymbolId id, std::size_t k, Series& s, HistoryRing& ring, const CandleData& before,
                    const CandleData& after);
  int index_of_seconds(std::int32_t seconds) const;

  void own_series(SymbolId id, Interval interval);

  void finish_exchange_update(SymbolId id, std::size_t k, Series& s, HistoryRing& ring, bool close);

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
  std::atomic<std::uint64_t> ticks{0}, late_dropped{0}, late_amended{0}, gap_filled{0}, gap_fill_truncated{0},
      candles_amended{0}, amended_unmerged{0};
  std::unique_ptr<std::atomic<std::uint64_t>[]> closed_per_interval;
};

}  // namespace tickd::core
