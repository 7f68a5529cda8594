// HostServices for the running daemon: history from the aggregator, signals
// onto the feed thread, the status of the feed, the aggregator and the observers.
#pragma once

#include "aggregate/aggregator.hpp"
#include "app/daemon_status.hpp"
#include "bus/dispatcher.hpp"
#include "feed/feed.hpp"
#include "feed/tick_gate.hpp"
#include "plugin/host_services.hpp"
#include "plugin/listen_sockets.hpp"

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <string>

namespace tickd::core {

// An observer's figures as the status shows them; `lost` is computed here.
ObserverStatus observer_status(ObserverSnapshot snapshot);

class DaemonHostServices : public HostServices {
 public:
  DaemonHostServices(const Config& config, SymbolTable& symbols, boost::asio::io_context& io);

  // `feed_heartbeat_ms`: steady-clock ms of the feed thread's last sign of
  // life, written by the feed thread.
  void attach(Aggregator& aggregator, Dispatcher& dispatcher, Feed& feed,
              const std::atomic<long long>& feed_heartbeat_ms) {
    aggregator_ = &aggregator;
    dispatcher_ = &dispatcher;
    feed_ = &feed;
    heartbeat_ = &feed_heartbeat_ms;
  }

  void attach_gate(const TickGate& gate) { gate_ = &gate; }
  // The feed has started: until then the status says "starting", not "stalled".
  void mark_started() { started_.store(true); }

  // The one status every view renders (/health, /metrics, `tickd stats`, the
  // plugins' status_json). Any thread.
  DaemonStatus status() const;

  const SymbolTable& symbols() const override { return symbols_; }
  const std::vector<std::int64_t>& interval_seconds() const override { return intervals_; }
  std::uint32_t history_capacity() const override { return config_.aggregator.history; }
  bool history(SymbolId symbol, Interval interval, std::uint32_t limit,
               std::vector<CandleData>& out) const override;
  void publish(Signal signal) override;
  std::string status_json() const override;
  int listen_tcp(const std::string& observer, std::uint64_t instance, const std::string& address,
                 std::uint16_t port, std::string& error) override {
    return listen_sockets_.acquire(observer, instance, address, port, error);
  }
  void release_instance(std::uint64_t instance) override { listen_sockets_.release(instance); }
  // The sockets held for plugins; the daemon settles them after each reload.
  ListenSockets& listen_sockets() { return listen_sockets_; }

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
  const std::atomic<long long>* heartbeat_ = nullptr;
  std::atomic<bool> started_{false};
  std::atomic<std::uint64_t> signals_{0};
  ListenSockets listen_sockets_;
};

}  // namespace tickd::core
