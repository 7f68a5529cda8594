// Ticks -> OHLCV candles for many symbols and intervals at once.
//
// Threading: on_tick, on_clock, close_all, restore and set_emit run on the feed
// thread only (one writer, no locks on the tick path). history() and stats()
// may be called from any thread at any time.
#pragma once

#include "config/config.hpp"
#include "model/market_data.hpp"
#include "model/symbol_table.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace tickd::core {

enum class CandleEventKind { update, closed };

// Receives every candle the aggregator emits, on the feed thread.
class CandleSink {
 public:
  virtual ~CandleSink() = default;
  virtual void on_candle(const CandleData& candle, CandleEventKind kind) = 0;
};

struct AggregatorStats {
  std::uint64_t ticks = 0;
  // Late ticks are counted once per tick, not per series: dropped when at least
  // one series refused it, amended when it corrected closed candles only.
  std::uint64_t late_dropped = 0;
  std::uint64_t late_amended = 0;
  // Closed candles corrected and emitted again, per candle: by late ticks here
  // or relayed from the source (on_amended_candle), so an ingest and its edges
  // count the same.
  std::uint64_t candles_amended = 0;
  // Relayed amendments that could not correct an interval merged from them
  // (the amended candle was older than history): that larger candle stays.
  std::uint64_t amended_unmerged = 0;
  std::uint64_t gap_filled = 0;                    // flat candles emitted
  std::uint64_t gap_fill_truncated = 0;            // gaps longer than gap_fill_max or 100,000 buckets
                                                   // (older buckets left empty)
  std::vector<std::uint64_t> closed_per_interval;  // same order as config intervals
};

class Aggregator {
 public:
  Aggregator(const AggregatorConfig& config, const SymbolTable& symbols, CandleSink& sink);
  ~Aggregator();
  Aggregator(const Aggregator&) = delete;
  Aggregator& operator=(const Aggregator&) = delete;

  // Hot path. Updates every interval's open candle of the tick's symbol; closes
  // the ones the tick has moved past (with gap fill if on); handles late ticks
  // per policy; emits throttled updates.
  void on_tick(const TickData& tick);

  // Called by a timer with the feed's clock (wall clock for live feeds). Closes
  // candles whose bucket ended more than close_grace_ms before `now`, emits gap
  // fill candles for quiet symbols up to `now` (at most 100,000 per call, the
  // rest on the next calls), and flushes throttled updates.
  void on_clock(TimeMs now);

  // An exchange's own candle (a live kline) of one of the configured intervals:
  // published for its interval (update, or closed when flagged so) and merged
  // into the larger intervals. From then on the symbol's series of that
  // interval and larger come from exchange candles only; ticks keep building
  // the smaller ones (see exchange_merge.hpp for the rule). Candles of an
  // interval that is not configured, or older than the last closed one, are
  // ignored. Feed thread only.
  void on_exchange_candle(const CandleData& candle);

  // A closed candle of a bucket already closed, as its source corrected it
  // (another tickd's late-tick amendment, relayed by feed.kind: nats): it
  // replaces that candle in history, exactly as sent, and goes to the sink as
  // closed, as a late tick's amendment here does; an interval merged from this
  // one takes the difference. One older than history still goes to the sink
  // (storage keeps older candles); one equal to what history holds changes
  // nothing. Feed thread only.
  void on_amended_candle(const CandleData& candle);

  // A closed exchange candle fetched to fill an outage: merged like
  // on_exchange_candle (replacing what ticks had built of that bucket) without
  // taking the series over from ticks.
  void on_backfill_candle(const CandleData& candle);

  // The source sends this series' own candles (another tickd relays every
  // interval it built): the series takes only those, exactly as sent, and is
  // never merged from a smaller interval's candles. Feed thread only.
  void own_series(SymbolId symbol, Interval interval);

  // Shutdown: with close_on_shutdown, emits every open candle as closed+partial.
  void close_all();

  // Warm-up from storage before the feed starts: appends closed candles
  // (oldest first) to the history of a series. Later ticks continue after them.
  void restore(SymbolId symbol, Interval interval, const std::vector<CandleData>& candles);

  // Any thread, at shutdown: gap filling in progress or to come stops at once,
  // so that the feed thread returns whatever the input was.
  void interrupt();

  // While false, candles still build and enter history but nothing reaches the
  // sink (used for generated history at start-up).
  void set_emit(bool emit);

  // Thread-safe. Up to `limit` candles, oldest first: closed ones, then the open
  // candle as of its last emitted update. False for an unknown series.
  bool history(SymbolId symbol, Interval interval, std::uint32_t limit, std::vector<CandleData>& out) const;

  AggregatorStats stats() const;
  const AggregatorConfig& config() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tickd::core
