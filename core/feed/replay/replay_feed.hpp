// Replays recorded trades from CSV files (Binance dump layouts or a generic
// one), merged by time: as fast as possible, as recorded, or N times faster.
#pragma once

#include "config/config.hpp"
#include "feed/feed.hpp"
#include "feed/replay/trade_csv.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <tickd/log_throttle.hpp>

#include <atomic>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace tickd::core {

class ReplayFeed : public Feed {
 public:
  // Trades per turn of the io loop, delivered as one TickBatch: large enough to
  // amortize the post, small enough that timers and signals still run promptly.
  static constexpr int kTicksPerTurn = 4096;

  // Throws std::runtime_error naming the file if one cannot be opened.
  ReplayFeed(const ReplayConfig& config, boost::asio::io_context& io, SymbolTable& symbols);
  ~ReplayFeed() override;

  void start(FeedSink& sink) override;
  void stop() override;
  FeedStats stats() const override;
  TimeMs now_ms() const override { return clock_ms_.load(std::memory_order_relaxed); }
  bool recorded() const override { return true; }
  std::string position() const override;

 private:
  struct Source;

  bool fill(Source& s);  // reads up to the next valid trade; false at the end
  Source* earliest();
  void pump();

  ReplayConfig config_;
  boost::asio::io_context& io_;
  SymbolTable& symbols_;
  boost::asio::steady_timer timer_;
  std::vector<std::unique_ptr<Source>> sources_;
  FeedSink* sink_ = nullptr;
  const Source* delivering_ = nullptr;  // the source of the tick in sink_->on_tick
  bool running_ = false;
  TimeMs first_time_ = -1;
  std::chrono::steady_clock::time_point started_;
  LogThrottle log_throttle_;

  std::atomic<TimeMs> clock_ms_{0};
  std::atomic<std::uint64_t> ticks_{0};
  std::atomic<std::uint64_t> messages_{0};
  std::atomic<std::uint64_t> errors_{0};
  std::atomic<TimeMs> last_message_ms_{0};
  std::atomic<int> state_{0};  // 0 starting, 1 replaying, 2 finished, 3 stopped
};

}  // namespace tickd::core
