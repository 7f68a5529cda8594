// The `nats` observer: publishes what this daemon produces for other tickd
// daemons (edges, storage nodes) and anything else that speaks NATS.
//   ticks, open-candle updates -> core NATS, dropped (counted) while NATS is down
//   closed candles, signals    -> the JetStream stream, through JetStreamOutbox
// Subjects and message ids: tickd/nats_subjects.hpp; payloads: tickd/wire.hpp.
#pragma once

#include "nats/candle_revisions.hpp"
#include "nats/jetstream_outbox.hpp"
#include "nats/nats_publisher_config.hpp"

#include <tickd/plugin.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <unordered_map>

namespace tickd::nats_out {

class NatsPublisher : public Observer {
 public:
  static ConfigSchema config_schema() { return publisher_config_schema(); }
  NatsPublisher() = default;
  ~NatsPublisher() override;

  void start(Host& host) override;
  void on_tick(const Tick& tick) override;
  void on_candle(const Candle& candle) override;
  void on_signal(const Signal& signal) override;
  void stop() override;
  void metrics(Metrics& out) const override;

 private:
  struct SeriesState {
    std::string update_subject;
    std::string closed_subject;
    CandleRevisions revisions;
  };
  static void on_connected(natsConnection* nc, void* closure);
  static void on_disconnected(natsConnection* nc, void* closure);
  bool connected() const { return connected_.load(std::memory_order_relaxed); }
  void publish_core(const std::string& subject);
  void enqueue(std::string subject, std::string msg_id);
  SeriesState& series(std::string_view symbol, Interval interval);
  void release();

  Host* host_ = nullptr;
  PublisherConfig config_;
  natsConnection* nc_ = nullptr;
  jsCtx* js_ = nullptr;
  std::unique_ptr<JetStreamOutbox> outbox_;
  std::string buffer_;  // the payload being built (reused: no allocation once warm)
  // Keyed by the symbol's address: the host's symbol views are stable.
  std::unordered_map<const char*, std::string> tick_subjects_;
  std::unordered_map<const char*, std::unordered_map<std::int64_t, SeriesState>> series_;

  std::atomic<bool> connected_{false};
  std::atomic<bool> was_connected_{false};
  std::atomic<std::uint64_t> core_published_{0}, core_dropped_{0}, partial_skipped_{0}, unsent_at_stop_{0},
      reconnects_{0};
};

}  // namespace tickd::nats_out
