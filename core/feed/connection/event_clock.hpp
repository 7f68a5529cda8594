// A live feed's clock: the newest event time plus the wall time since it
// arrived, frozen while any of the feed's connections is down (from the loss
// until that connection delivers live again), so that no candle closes or
// gap-fills for want of data a backfill is about to bring. Before the first
// event it is the wall clock.
//
// Threading: everything on the feed thread except now_ms(), which the feed
// thread also calls (FeedClock); nothing here is read from another thread.
#pragma once

#include "model/market_data.hpp"

#include <algorithm>
#include <chrono>

namespace tickd::core {

class EventClock {
 public:
  // An event delivered live (not held back for a backfill).
  void saw(TimeMs time) {
    if (time > newest_ || event_at_ < paused_at_) {
      newest_ = std::max(newest_, time);
      event_at_ = std::chrono::steady_clock::now();
    }
  }
  // A connection was lost: the clock stops until every lost one resumed.
  void pause() {
    if (down_++ == 0) {
      frozen_ = now_ms();
      paused_at_ = std::chrono::steady_clock::now();
    }
  }
  // A lost connection delivers live again (its first event after the loss).
  void resume() {
    if (down_ == 0 || --down_ > 0) return;
    // Nothing arrived meanwhile: go on from where the clock stood.
    if (event_at_ < paused_at_ && newest_ > 0) {
      newest_ = std::max(newest_, frozen_);
      event_at_ = std::chrono::steady_clock::now();
    }
  }

  TimeMs now_ms() const {
    if (newest_ == 0) return wall_ms();
    if (down_ > 0) return frozen_;
    return newest_ +
           std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - event_at_)
               .count();
  }
  TimeMs newest() const { return newest_; }  // 0 = no event yet

 private:
  static TimeMs wall_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }

  TimeMs newest_ = 0;
  TimeMs frozen_ = 0;
  int down_ = 0;
  std::chrono::steady_clock::time_point event_at_{};
  std::chrono::steady_clock::time_point paused_at_{};
};

}  // namespace tickd::core
