// Random-walk ticks for offline use and demos: reproducible from a seed, and
// optionally a stretch of simulated past so a chart is full at start-up.
#pragma once

#include "config/config.hpp"
#include "feed/feed.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <random>
#include <vector>

namespace tickd::core {

class SimulatorFeed : public Feed {
 public:
  SimulatorFeed(const SimulatorConfig& config, std::vector<SymbolId> symbols, boost::asio::io_context& io);

  void start(FeedSink& sink) override;
  void stop() override;
  FeedStats stats() const override;

 private:
  struct Walk {
    SymbolId symbol;
    double price;
    std::int64_t next_trade_id = 1;
  };

  TickData next_tick(Walk& w, TimeMs time, double size_scale);
  void generate_history();
  void schedule();
  void on_timer();

  SimulatorConfig config_;
  std::vector<Walk> walks_;
  boost::asio::steady_timer timer_;
  FeedSink* sink_ = nullptr;
  std::mt19937_64 rng_;
  std::normal_distribution<double> normal_{0.0, 1.0};
  std::exponential_distribution<double> size_{1.0};
  std::chrono::steady_clock::time_point started_;
  std::uint64_t rounds_done_ = 0;  // ticks produced per symbol since start
  bool running_ = false;

  std::atomic<std::uint64_t> ticks_{0};
  std::atomic<TimeMs> last_ms_{0};
  std::atomic<bool> live_{false};
};

}  // namespace tickd::core
