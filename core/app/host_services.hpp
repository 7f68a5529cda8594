// DaemonServices for the running daemon: history from the aggregator, signals
// onto the feed thread, status from the feed and the observers.
#pragma once

#include "aggregate/aggregator.hpp"
#include "bus/dispatcher.hpp"
#include "feed/feed.hpp"
#include "feed/tick_gate.hpp"
#include "plugin/daemon_services.hpp"

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <string>

namespace tickd::core {

class HostServices : public DaemonServices {
 public:
  HostServices(const Config& config, SymbolTable& symbols, boost::asio::io_context& io);

  void attach(Aggregator& aggregator, Dispatcher& dispatcher, Feed& feed) {
    aggregator_ = &aggregator;
    dispatcher_ = &dispatcher;
    feed_ = &feed;
  }

  void attach_gate(const TickGate& gate) { gate_ = &gate; }

  const SymbolTable& symbols() const override { return symbols_; }
  const std::vector<std::int64_t>& interval_seconds() const override { return intervals_; }
  std::uint32_t history_capacity() const override { return config_.aggregator.history; }
  bool history(SymbolId symbol, Interval interval, std::uint32_t limit,
               std::vector<CandleData>& out) const override;
  void publish(Signal signal) override;
  std::string status_json() const override;

  std::uint64_t signals_published() const { return signals_.load(std::memory_order_relaxed); }

 private:
  const Config& config_;
  SymbolTable& symbols_;
  boost::asio::io_context& io_;
  std::vector<std::int64_t> intervals_;
  Aggregator* aggregator_ = nullptr;
  Dispatcher* dispatcher_ = nullptr;
  Feed* feed_ = nullptr;
  const TickGate* gate_ = nullptr;
  std::atomic<std::uint64_t> signals_{0};
};

}  // namespace tickd::core
