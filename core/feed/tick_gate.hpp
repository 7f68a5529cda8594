// The plausibility gate between every feed and the aggregator: a FeedSink that
// passes on what is plausible and rejects (counts, logs rate-limited) the rest,
// so that one bad row or message cannot become a candle or make the aggregator
// fill towards an absurd time.
//
// A tick is rejected when
//   - its price is not finite, not above 0 or above max_price         (price)
//   - its quantity is not finite, below 0 or above max_quantity      (quantity)
//     (0 is allowed: last-price-only broker modes carry no quantity)
//   - its time is later than the wall clock + max_ahead              (time_ahead)
//     (for a replay too: nothing recorded can be from the future)
//   - its time is before 2000-01-01, or, on a live feed with
//     max_behind set (the default for Binance, Kite and SmartAPI),
//     older than the wall clock - max_behind                         (time_behind)
//   - replays only: it is more than max_jump away from the previous
//     accepted tick and the next tick does not confirm the jump      (time_jump)
//   - price_band is set and it is further than that fraction from its
//     symbol's last accepted price (the price_band_confirm-th such tick
//     in a row, within price_band_window of the first when that is set,
//     is taken as a real move and accepted)                          (price_band)
// An exchange candle (kline, backfill, bootstrap) is rejected when a price or
// volume is not finite or out of those bounds, high < low, open or close lie
// outside [low, high], or its open time fails the time rules (max_behind
// judges a live candle by its close; history and backfilled candles are of
// the past by nature and exempt from it)                          (candle).
// A tick that reaches the gate after stop(), or is still held for look-ahead
// when the feed stops, is counted too, so that feed ticks = aggregated +
// rejected holds exactly at every stop                           (shutdown).
//
// A replay's jump is decided by one tick of look-ahead: the tick that jumps is
// held; if the next one lies within max_jump of it the market really jumped
// (a session break, a second file) and both pass, otherwise the held tick was
// an outlier and is rejected. A replay's first tick waits for its second the
// same way. A jump still held when the replay ends is rejected (unless nothing
// was accepted at all). The replay's clock (clock_ms) is its last accepted tick.
//
// Feed thread only, except stats(). No allocation per tick.
#pragma once

#include "config/config.hpp"
#include "feed/feed.hpp"

#include <tickd/log_throttle.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace tickd::core {

enum class GateReason {
  time_ahead,
  time_behind,
  time_jump,
  price,
  quantity,
  price_band,
  candle,
  shutdown,
  count
};

const char* gate_reason_name(GateReason reason);

struct GateStats {
  std::uint64_t rejected[static_cast<int>(GateReason::count)] = {};
  std::uint64_t total() const;
};

class TickGate : public FeedSink {
 public:
  // Nothing before this can be a trade of an electronic market we feed from;
  // it catches seconds read as milliseconds and zero times.
  static constexpr TimeMs kNotBeforeMs = 946684800000;  // 2000-01-01T00:00:00Z

  TickGate(const GateConfig& config, const SymbolTable& symbols, FeedSink& next);
  ~TickGate() override;

  // The feed whose ticks pass here: whether its times are recorded, and where
  // a rejected tick came from. Before the feed starts.
  void attach(const Feed& feed);

  // The time the aggregator's clock should close candles by: the feed's own,
  // except for a replay, whose running time is its last accepted tick.
  TimeMs clock_ms(TimeMs feed_now) const { return recorded_ && has_anchor_ ? anchor_ : feed_now; }

  GateStats stats() const;  // any thread
  // Any thread, at shutdown: from now on nothing passes (ticks are counted as
  // `shutdown`), so that a feed thread in the middle of a long batch returns at once.
  void stop() { stopped_.store(true, std::memory_order_relaxed); }
  // Feed thread, once the feed has stopped: a tick still held for look-ahead
  // will never be decided; it is counted as `shutdown`.
  void discard_held();

  void on_tick(const TickData& tick) override;
  void on_history_begin() override;
  void on_history_end() override;
  void on_batch_begin() override { next_.on_batch_begin(); }
  void on_batch_end() override { next_.on_batch_end(); }
  void on_signal(SymbolId symbol, Signal signal) override { next_.on_signal(symbol, std::move(signal)); }
  void on_exchange_series(SymbolId symbol, Interval interval) override {
    next_.on_exchange_series(symbol, interval);
  }
  void on_feed_end() override;
  void on_exchange_candle(const CandleData& candle) override;
  void on_backfill_candle(const CandleData& candle) override;
  void on_amended_candle(const CandleData& candle) override;
  void on_history_candles(SymbolId symbol, Interval interval,
                          const std::vector<CandleData>& candles) override;
  bool implausible(const TickData& tick) const override;
  bool implausible_time(TimeMs time) const override;
  TimeMs history_end(SymbolId symbol, Interval interval) const override {
    return next_.history_end(symbol, interval);
  }

 private:
  bool values_ok(const TickData& tick, GateReason& reason) const;
  // `end`: when what is judged ends (a tick's time, a live candle's close),
  // for max_behind; 0 = it is of the past by nature (history, a backfill).
  bool time_ok(TimeMs time, TimeMs now, GateReason& reason, TimeMs end) const;
  bool candle_ok(const CandleData& candle, bool past) const;
  bool in_band(const TickData& tick);
  void accept(const TickData& tick);
  // `held`: the tick is the held one, whose position was taken when it came.
  void reject(const TickData& tick, GateReason reason, bool held);
  void reject_candle(const CandleData& candle);

  const GateConfig config_;
  const SymbolTable& symbols_;
  FeedSink& next_;
  const Feed* feed_ = nullptr;
  bool recorded_ = false;
  bool in_history_ = false;
  bool has_anchor_ = false;
  TimeMs anchor_ = 0;  // replays: the time of the last accepted tick
  bool has_held_ = false;
  TickData held_;
  std::string held_where_;
  std::unique_ptr<double[]> band_price_;          // per symbol, 0 = none yet; only with price_band
  std::unique_ptr<std::uint32_t[]> band_misses_;  // consecutive ticks outside the band
  std::unique_ptr<TimeMs[]> band_since_;          // the first of them; only with price_band_window
  LogThrottle log_throttle_;
  std::atomic<bool> stopped_{false};
  std::atomic<std::uint64_t> rejected_[static_cast<int>(GateReason::count)];
};

}  // namespace tickd::core
