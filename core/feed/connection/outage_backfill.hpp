// The hold-and-backfill of one connection after a loss, the one state machine
// every feed that fills an outage over REST uses (BinanceFeed, each shard of
// BinaryBrokerFeed):
//
//   lost(newest event) -> opened(step): hold? -> the first frame held names
//   the gap [outage_from, first_live) floored to the step -> fetch (the feed
//   loads the candles, arrived() once per part) -> the candles go out oldest
//   first, then the held frames are replayed in order -> live.
//
// The bucket open at the loss is replaced whole by its REST candle and the
// bucket of the first new frame is built live: nothing missing, nothing
// doubled. Lost again while holding: the outage simply grows (answers of the
// older attempt are recognised by their generation and ignored). Beyond
// `max_pending` held frames (REST far slower than the stream) the backfill is
// given up rather than memory.
//
// Threading: the feed thread only.
#pragma once

#include "model/market_data.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace tickd::core {

template <class Frame>
class OutageBackfill {
 public:
  struct Handlers {
    // Load the closed candles of [from, until); returns how many parts will
    // each call arrived(generation, ...) once (0: nothing to wait for).
    std::function<std::size_t(TimeMs from, TimeMs until, std::uint64_t generation)> fetch;
    // Each backfilled candle, oldest first.
    std::function<void(const CandleData&)> candle;
    // The held frames, in arrival order, once the candles went out.
    std::function<void(std::deque<Frame>&)> replay;
  };
  static constexpr std::size_t kDefaultMaxPending = 500000;

  OutageBackfill(std::string name, Handlers handlers, std::size_t max_pending = kDefaultMaxPending)
      : name_(std::move(name)), handlers_(std::move(handlers)), max_pending_(max_pending) {}

  // The connection went away; `newest_event` is the newest event time it
  // delivered (0: none).
  void lost(TimeMs newest_event) {
    if (holding_) {
      ++generation_;
      holding_ = false;
      pending_.clear();
      candles_.clear();
    } else if (newest_event > 0) {
      outage_from_ = newest_event;
    }
  }

  // The connection (re)opened. `step_ms`: the backfill candle length, 0 when
  // nothing can be backfilled. True when frames are held from now on.
  bool opened(std::int64_t step_ms) {
    const bool hold = connected_once_ && step_ms > 0 && outage_from_ > 0;
    connected_once_ = true;
    if (!hold) return false;
    holding_ = true;
    requested_ = false;
    step_ms_ = step_ms;
    return true;
  }

  // False when not holding (deliver `frame` now); otherwise keeps it.
  // `time`: the frame's event time, or 0 when it cannot mark where the outage
  // ends (a time the feed gate rejects, e.g. one far-future row).
  bool hold(const Frame& frame, TimeMs time) {
    if (!holding_) return false;
    pending_.push_back(frame);
    if (!requested_ && time > 0) request(time);
    if (holding_ && pending_.size() > max_pending_) {
      spdlog::error("{}: backfill too slow ({} frames waiting); continuing without it", name_,
                    pending_.size());
      ++generation_;
      release();
    }
    return true;
  }

  // One part of the fetch of `generation` came (perhaps empty, on error).
  void arrived(std::uint64_t generation, const std::vector<CandleData>& closed) {
    if (generation != generation_ || !holding_) return;
    candles_.insert(candles_.end(), closed.begin(), closed.end());
    if (++arrived_ >= parts_) finish(generation);
  }
  bool current(std::uint64_t generation) const { return holding_ && generation == generation_; }

  // Shutting down: nothing more is fetched or released.
  void stop() {
    ++generation_;
    holding_ = false;
    pending_.clear();
    candles_.clear();
  }

  bool holding() const { return holding_; }
  std::size_t pending() const { return pending_.size(); }
  // The frames held so far, in arrival order (at a stop they are handed over
  // and counted, see Feed::stop).
  const std::deque<Frame>& held() const { return pending_; }

 private:
  void request(TimeMs first_live) {
    requested_ = true;
    const TimeMs from = outage_from_ / step_ms_ * step_ms_;  // the bucket open at the loss, whole
    const TimeMs until = first_live / step_ms_ * step_ms_;   // the bucket of the first new frame is live
    const std::uint64_t generation = ++generation_;
    arrived_ = 0;
    parts_ = static_cast<std::size_t>(-1);  // a part may arrive before fetch returns
    std::size_t parts = 0;
    if (until > from) {
      spdlog::info("{}: backfilling {} s candles from {} to {} (ms) over REST", name_, step_ms_ / 1000, from,
                   until);
      parts = handlers_.fetch(from, until, generation);
    }
    parts_ = parts;
    if (arrived_ >= parts_) finish(generation);
  }

  void finish(std::uint64_t generation) {
    if (generation != generation_ || !holding_) return;
    std::stable_sort(candles_.begin(), candles_.end(),
                     [](const CandleData& a, const CandleData& b) { return a.open_time < b.open_time; });
    for (const CandleData& c : candles_) handlers_.candle(c);
    spdlog::info("{}: gap filled with {} closed candles; {} held-back frames released", name_,
                 candles_.size(), pending_.size());
    candles_.clear();
    release();
  }

  void release() {
    holding_ = false;
    std::deque<Frame> frames;
    frames.swap(pending_);
    handlers_.replay(frames);
  }

  std::string name_;
  Handlers handlers_;
  std::size_t max_pending_;
  bool connected_once_ = false;
  bool holding_ = false;
  bool requested_ = false;
  std::int64_t step_ms_ = 0;
  TimeMs outage_from_ = 0;
  std::uint64_t generation_ = 0;
  std::size_t parts_ = 0;    // parts the fetch announced
  std::size_t arrived_ = 0;  // parts come so far
  std::vector<CandleData> candles_;
  std::deque<Frame> pending_;
};

}  // namespace tickd::core
