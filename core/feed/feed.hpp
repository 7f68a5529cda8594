// A source of ticks owned by the daemon. Every feed runs on the daemon's
// io_context (the feed thread) and hands ticks to a FeedSink on that thread.
#pragma once

#include "config/config.hpp"
#include "model/market_data.hpp"

#include <tickd/types.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace tickd::core {

class FeedSink {
 public:
  virtual ~FeedSink() = default;
  virtual void on_tick(const TickData& tick) = 0;
  // Ticks generated for the past at start-up: they build history only.
  virtual void on_history_begin() {}
  virtual void on_history_end() {}
  // The ticks between these arrive together (a replay chunk, one network
  // frame): the observers are woken once at the end instead of per tick.
  virtual void on_batch_begin() {}
  virtual void on_batch_end() {}
  // A finite feed (replay) has delivered everything.
  virtual void on_feed_end() {}
  // True when `tick` would not pass if it came now (feed/tick_gate.hpp): a feed
  // that paces its ticks (a replay at a given speed) hands such a tick over at
  // once instead of waiting for its time, which may be years away.
  virtual bool implausible(const TickData& tick) const {
    (void)tick;
    return false;
  }
  // True when an event at `time` would not pass the gate's time rules: a live
  // feed does not move its own clock (which closes quiet candles and marks
  // where an outage began) by such a time, e.g. one far-future row.
  virtual bool implausible_time(TimeMs time) const {
    (void)time;
    return false;
  }

  // An exchange's own candle from a live stream (Binance kline): published as
  // a candle of its interval, and its symbol's candles of that interval and
  // larger come from exchange candles from then on (Aggregator::on_exchange_candle).
  virtual void on_exchange_candle(const CandleData& candle) { (void)candle; }
  // A closed candle of a bucket already closed, corrected by its source (a
  // late-tick amendment another tickd relays): replaces that closed candle
  // and goes to the observers as closed (Aggregator::on_amended_candle).
  virtual void on_amended_candle(const CandleData& candle) { (void)candle; }
  // The feed will send this series' own candles (Aggregator::own_series):
  // call before its first candle.
  virtual void on_exchange_series(SymbolId symbol, Interval interval) { (void)symbol, (void)interval; }
  // A signal another daemon published (feed.kind: nats): to the observers as
  // if a strategy here had published it.
  virtual void on_signal(SymbolId symbol, Signal signal) { (void)symbol, (void)signal; }
  // A closed exchange candle fetched after an outage, to fill the gap.
  virtual void on_backfill_candle(const CandleData& candle) { (void)candle; }
  // Closed candles of the past (REST bootstrap), oldest first: history only.
  virtual void on_history_candles(SymbolId symbol, Interval interval,
                                  const std::vector<CandleData>& candles) {
    (void)symbol, (void)interval, (void)candles;
  }
  // End (exclusive) of the newest closed candle already in history, e.g.
  // restored by a storage plugin; 0 when there is none.
  virtual TimeMs history_end(SymbolId symbol, Interval interval) const {
    (void)symbol, (void)interval;
    return 0;
  }
};

// Marks a scope of ticks that arrive together (see FeedSink::on_batch_begin).
class TickBatch {
 public:
  explicit TickBatch(FeedSink& sink) : sink_(sink) { sink_.on_batch_begin(); }
  ~TickBatch() { sink_.on_batch_end(); }
  TickBatch(const TickBatch&) = delete;
  TickBatch& operator=(const TickBatch&) = delete;

 private:
  FeedSink& sink_;
};

// One WebSocket connection of a feed that shards its instruments (Kite, SmartAPI).
struct ConnectionStats {
  std::string state;  // connecting | live | backfilling | backoff | auth_failed | stopped
  std::uint64_t messages = 0;
  std::uint64_t ticks = 0;
  std::uint64_t reconnects = 0;
  std::uint64_t instruments = 0;  // subscribed now
  TimeMs last_message_ms = 0;     // wall clock, 0 = never
};

struct FeedStats {
  std::string state;  // e.g. "starting", "live", "replaying", "finished", "stopped"
  std::uint64_t messages = 0;
  std::uint64_t ticks = 0;
  std::uint64_t decode_errors = 0;
  std::uint64_t reconnects = 0;
  std::uint64_t dropped = 0;   // droppable messages (updates, ticks) refused while the daemon was behind
  TimeMs last_message_ms = 0;  // wall clock, 0 = never
  // A feed that reads a stream (nats): where it is and how far behind.
  bool has_position = false;
  std::uint64_t position = 0;      // stream sequence of the last message handled
  std::uint64_t lag_messages = 0;  // messages in the stream not yet handled
  double lag_seconds = 0;          // age of the oldest message not yet handled
  // Kite, SmartAPI: the instrument master that names resolved through.
  InstrumentMasterInfo instrument_master;
  // Kite, SmartAPI: each connection; expired contracts unsubscribed since start.
  std::vector<ConnectionStats> connections;
  std::uint64_t instruments_expired = 0;
};

class Feed {
 public:
  virtual ~Feed() = default;
  virtual void start(FeedSink& sink) = 0;
  // Feed thread. Ticks the feed has taken in but not delivered (a replay's
  // read-ahead or paced tick, frames held back during a backfill) are handed to
  // the sink here, counted as ticks: the daemon stops its gate first, which
  // counts them as rejected at `shutdown`, so no tick read goes uncounted.
  virtual void stop() = 0;
  virtual FeedStats stats() const = 0;
  // SIGHUP: re-read credentials kept in files (broker feeds). Feed thread.
  virtual void reload_credentials() {}
  // The clock candles close by when no tick arrives: the wall clock for live
  // feeds, the recorded time for a replay.
  virtual TimeMs now_ms() const { return wall_clock_ms(); }
  // True when tick times are recorded ones (a replay), not about now.
  virtual bool recorded() const { return false; }
  // Where the tick being delivered comes from, for a log line about it
  // ("file:line" for a replay); empty when the feed cannot say. Feed thread.
  virtual std::string position() const { return {}; }

  static TimeMs wall_clock_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
};

}  // namespace tickd::core
