#include "feed/simulator/simulator_feed.hpp"

#include <algorithm>
#include <cmath>

namespace tickd::core {

namespace {
constexpr auto kTimerPeriod = std::chrono::milliseconds(10);
// Simulated history is generated at a modest rate: it only has to give the
// candles of the past a realistic shape, and it has to be quick at start-up.
constexpr double kHistoryTicksPerSecond = 2.0;
}  // namespace

SimulatorFeed::SimulatorFeed(const SimulatorConfig& config, std::vector<SymbolId> symbols,
                             boost::asio::io_context& io)
    : config_(config), timer_(io), rng_(config.seed) {
  for (SymbolId s : symbols) walks_.push_back(Walk{s, config.start_price});
}

TickData SimulatorFeed::next_tick(Walk& w, TimeMs time, double size_scale) {
  // A tick standing for size_scale live ticks moves the price as far as they would.
  w.price *= std::exp(config_.volatility * std::sqrt(size_scale) * normal_(rng_));
  TickData t;
  t.symbol = w.symbol;
  t.time = time;
  // Prices and sizes rounded as an exchange would quote them.
  t.price = std::round(w.price * 1e4) / 1e4;
  t.quantity = std::max(0.0001, std::round(size_(rng_) * size_scale * 1e4) / 1e4);
  t.trade_id = w.next_trade_id++;
  t.trade_count = 1;
  t.side = (rng_() & 1) ? Side::buy : Side::sell;
  return t;
}

void SimulatorFeed::generate_history() {
  if (config_.history_hours <= 0) return;
  TimeMs now = wall_clock_ms();
  TimeMs from = now - static_cast<TimeMs>(config_.history_hours * 3600'000.0);
  double rate = std::min(kHistoryTicksPerSecond, config_.ticks_per_second);
  TimeMs step = static_cast<TimeMs>(1000.0 / rate);
  // Fewer, larger trades: the past has the same volume and range per candle as live.
  double size_scale = config_.ticks_per_second / rate;
  sink_->on_history_begin();
  std::uint64_t generated = 0;
  for (TimeMs t = from; t < now; t += step)
    for (auto& w : walks_) {
      sink_->on_tick(next_tick(w, t, size_scale));
      ++generated;
    }
  sink_->on_history_end();
  // Counted in: the shutdown's reconciliation (in = aggregated + rejected) has them aggregated.
  ticks_.fetch_add(generated, std::memory_order_relaxed);
}

void SimulatorFeed::start(FeedSink& sink) {
  sink_ = &sink;
  running_ = true;
  generate_history();
  started_ = std::chrono::steady_clock::now();
  live_ = true;
  schedule();
}

void SimulatorFeed::schedule() {
  timer_.expires_after(kTimerPeriod);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec && running_) on_timer();
  });
}

void SimulatorFeed::on_timer() {
  // Catch up to the rate by elapsed time, so timer jitter does not change it.
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  auto due = static_cast<std::uint64_t>(elapsed * config_.ticks_per_second);
  TimeMs now = wall_clock_ms();
  for (; rounds_done_ < due; ++rounds_done_)
    for (auto& w : walks_) {
      sink_->on_tick(next_tick(w, now, 1.0));
      ticks_.fetch_add(1, std::memory_order_relaxed);
    }
  last_ms_.store(now, std::memory_order_relaxed);
  schedule();
}

void SimulatorFeed::stop() {
  running_ = false;
  live_ = false;
  timer_.cancel();
}

FeedStats SimulatorFeed::stats() const {
  FeedStats s;
  s.state = live_ ? "live" : (running_ ? "starting" : "stopped");
  s.ticks = ticks_.load(std::memory_order_relaxed);
  s.messages = s.ticks;
  s.last_message_ms = last_ms_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace tickd::core
