// The readable side of one (symbol, interval) series: its last closed candles
// and a snapshot of the open one. The feed thread writes only when a candle
// closes or an update is emitted; any thread may read.
//
// Closed candles are guarded by a mutex (written once per candle). The open
// snapshot changes on every emitted update, so it sits behind a sequence lock:
// the feed thread writes it with plain stores, readers retry on a torn copy.
#pragma once

#include "model/market_data.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

namespace tickd::core {

class HistoryRing {
 public:
  HistoryRing() = default;
  HistoryRing(const HistoryRing&) = delete;
  HistoryRing& operator=(const HistoryRing&) = delete;

  void set_capacity(std::uint32_t capacity) { capacity_ = capacity; }

  // Appends a closed candle and clears the open snapshot. Candles at or after
  // its open time are replaced first, so that a series restored from storage
  // and then continued by live ticks stays in time order.
  void push_closed(const CandleData& candle);

  void set_open(const CandleData& candle) { write_open(candle, true); }

  // Applies `amend` to the closed candle that opened at `open_time` and copies
  // the result to `out`; false when that candle is no longer (or never was) kept.
  template <typename Amend>
  bool amend_closed(TimeMs open_time, Amend&& amend, CandleData& out) {
    std::lock_guard<std::mutex> lock(mu_);
    for (std::size_t i = count_; i-- > 0;) {
      CandleData& c = at(i);
      if (c.open_time == open_time) {
        amend(c);
        out = c;
        return true;
      }
      if (c.open_time < open_time) break;
    }
    return false;
  }

  // Replaces `out` with up to `limit` candles, oldest first: closed, then open.
  void copy(std::uint32_t limit, std::vector<CandleData>& out) const;

 private:
  static constexpr std::size_t kOpenWords = sizeof(CandleData) / sizeof(std::uint64_t);
  static_assert(sizeof(CandleData) % sizeof(std::uint64_t) == 0, "the snapshot copies whole words");

  void write_open(const CandleData& candle, bool has_open);
  bool read_open(CandleData& out) const;

  CandleData& at(std::size_t i) { return buf_[(start_ + i) % buf_.size()]; }
  const CandleData& at(std::size_t i) const { return buf_[(start_ + i) % buf_.size()]; }

  mutable std::mutex mu_;
  std::uint32_t capacity_ = 0;
  // Grows up to capacity_ (so idle series stay small), then wraps: start_ is
  // the oldest candle. It only wraps once full, so start_ is 0 while growing.
  std::vector<CandleData> buf_;
  std::size_t start_ = 0;
  std::size_t count_ = 0;
  // Sequence lock: odd while the feed thread writes the words below.
  std::atomic<std::uint32_t> open_seq_{0};
  std::array<std::atomic<std::uint64_t>, kOpenWords> open_words_{};
  std::atomic<bool> has_open_{false};
};

}  // namespace tickd::core
