// The aggregator's clock on the feed thread: closes quiet candles by the feed's
// time, and beats a heartbeat that the watchdog and /health read.
#pragma once

#include "aggregate/aggregator.hpp"
#include "feed/feed.hpp"
#include "feed/tick_gate.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>

namespace tickd::core {

class FeedClock {
 public:
  FeedClock(boost::asio::io_context& io, Aggregator& aggregator, Feed& feed, const TickGate& gate,
            std::atomic<long long>& heartbeat_ms)
      : timer_(io), aggregator_(aggregator), feed_(feed), gate_(gate), heartbeat_ms_(heartbeat_ms) {}

  void start() {
    timer_.expires_after(std::chrono::milliseconds(100));
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      aggregator_.on_clock(gate_.clock_ms(feed_.now_ms()));
      heartbeat_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
      start();
    });
  }
  void stop() { timer_.cancel(); }

 private:
  boost::asio::steady_timer timer_;
  Aggregator& aggregator_;
  Feed& feed_;
  const TickGate& gate_;  // a replay's clock is its last accepted tick
  std::atomic<long long>& heartbeat_ms_;
};

}  // namespace tickd::core
