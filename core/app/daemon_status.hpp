// The daemon's status as one typed value, built once per request and rendered
// directly by /health (JSON), /metrics (Prometheus text) and `tickd stats`
// (which reads /health back into this same struct).
//
// Each section lists its figures once, in `fields()`: the JSON key, the
// Prometheus name and the help text sit on one line, and every renderer and
// the JSON reader walk that list. A figure renamed there is renamed everywhere;
// a JSON document that lacks a key (an older or newer daemon) is an error that
// names it, never a silent zero.
//
// Adding a figure: add the member to its section and one line to that
// section's fields(). A counter per reason or per interval is a `family`
// (a list of label value and count, e.g. candles_closed per interval). A new
// section is a small struct with its own fields(), a member of DaemonStatus and
// one `v.section(...)` line.
//
// The visitor `v` offers:
//   v.label(key, text)                    text; a label of the section's info metric
//   v.info(metric, help)                  metric{labels so far} 1 (Prometheus only)
//   v.key_label(key, text, prom_label)    text naming a list element; a label of all its samples
//   v.counter(key, value, metric, help)   only grows; metric may be nullptr (JSON only)
//   v.gauge(key, value, metric, help)     number or bool
//   v.family(key, entries, metric, label, help)   counters per label value
//   v.section(key, member) / v.list(key, vector)  nested sections
//   v.plugin_metrics(key, metrics)        an observer's own typed figures
#pragma once

#include "bus/event_handler.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tickd::core {

using CounterFamily = std::vector<std::pair<std::string, std::uint64_t>>;

// The broker's instrument master that feed.symbols names resolved through
// (Kite, SmartAPI; source "" for every other feed).
struct InstrumentMasterStatus {
  std::string source;  // downloaded | cache | stale_cache | file | ""
  std::uint64_t instruments = 0;
  double age_seconds = -1;  // since it was downloaded; -1: unknown
  std::string note;         // why a stale copy is in use

  template <class Self, class V>
  static void fields(Self& s, V& v) {
    v.label("source", s.source);
    v.label("note", s.note);
    v.info("tickd_feed_instrument_master", "1 for where the instrument master in use came from");
    v.gauge("instruments", s.instruments, "tickd_feed_instrument_master_instruments",
            "Instruments in the broker's instrument master");
    v.gauge("age_seconds", s.age_seconds, "tickd_feed_instrument_master_age_seconds",
            "Seconds since the instrument master in use was downloaded (-1: unknown)");
  }
};

// One WebSocket connection of a sharded broker feed (Kite, SmartAPI).
struct FeedConnectionStatus {
  std::string connection;  // "1", "2", ...
  std::string state;       // connecting | live | backfilling | backoff | auth_failed | stopped
  std::uint64_t messages = 0;
  std::uint64_t ticks = 0;
  std::uint64_t reconnects = 0;
  std::uint64_t instruments = 0;
  double seconds_since_last_message = -1;  // -1: never

  template <class Self, class V>
  static void fields(Self& s, V& v) {
    v.key_label("connection", s.connection, "connection");
    v.label("state", s.state);
    v.info("tickd_feed_connection_state", "1 for each broker connection's current state");
    v.counter("messages", s.messages, "tickd_feed_connection_messages_total",
              "Messages received on the broker connection");
    v.counter("ticks", s.ticks, "tickd_feed_connection_ticks_total",
              "Ticks decoded from the broker connection");
    v.counter("reconnects", s.reconnects, "tickd_feed_connection_reconnects_total",
              "Reconnections of the broker connection");
    v.gauge("instruments", s.instruments, "tickd_feed_connection_instruments",
            "Instruments subscribed on the broker connection");
    v.gauge("seconds_since_last_message", s.seconds_since_last_message,
            "tickd_feed_connection_seconds_since_last_message",
            "Seconds since the broker connection's last message (-1: never)");
  }
};

struct FeedStatus {
  std::string kind;
  std::string state;
  std::uint64_t messages = 0;
  std::uint64_t ticks = 0;
  std::uint64_t decode_errors = 0;
  std::uint64_t reconnects = 0;
  std::uint64_t dropped = 0;
  double seconds_since_last_message = -1;  // -1: never
  // Feeds that read a stream (nats): where they are in it; 0 for the others.
  std::uint64_t consumer_position = 0;
  std::uint64_t lag_candles = 0;
  double lag_seconds = 0;
  InstrumentMasterStatus instrument_master{};
  // Kite, SmartAPI: expired contracts unsubscribed since start, and each connection.
  std::uint64_t instruments_expired = 0;
  std::vector<FeedConnectionStatus> connections{};

  template <class Self, class V>
  static void fields(Self& s, V& v) {
    v.label("kind", s.kind);
    v.label("state", s.state);
    v.info("tickd_feed_state", "1 for the feed's current state");
    v.counter("messages", s.messages, "tickd_feed_messages_total", "Messages received from the feed");
    v.counter("ticks", s.ticks, "tickd_feed_ticks_total", "Ticks decoded");
    v.counter("decode_errors", s.decode_errors, "tickd_feed_decode_errors_total",
              "Malformed messages skipped");
    v.counter("reconnects", s.reconnects, "tickd_feed_reconnects_total", "Reconnections to the broker");
    v.counter("dropped", s.dropped, "tickd_feed_dropped_total",
              "Candle updates and ticks dropped because the daemon fell behind the feed");
    v.gauge("seconds_since_last_message", s.seconds_since_last_message,
            "tickd_feed_seconds_since_last_message", "Seconds since the feed's last message (-1: never)");
    v.gauge("consumer_position", s.consumer_position, "tickd_feed_consumer_position",
            "Stream sequence of the last message handled (stream feeds; 0 otherwise)");
    v.gauge("lag_candles", s.lag_candles, "tickd_feed_lag_candles",
            "Closed candles in the stream not yet handled (stream feeds)");
    v.gauge("lag_seconds", s.lag_seconds, "tickd_feed_lag_seconds",
            "Age of the oldest closed candle not yet handled (stream feeds)");
    v.section("instrument_master", s.instrument_master);
    v.counter("instruments_expired", s.instruments_expired, "tickd_feed_instruments_expired_total",
              "Expired contracts unsubscribed after the daily instrument master refresh");
    v.list("connections", s.connections);
  }
};

struct AggregatorStatus {
  std::uint64_t ticks = 0;
  std::uint64_t late_dropped = 0;
  std::uint64_t late_amended = 0;
  std::uint64_t candles_amended = 0;
  std::uint64_t amended_unmerged = 0;
  std::uint64_t gap_filled = 0;
  std::uint64_t gap_fill_truncated = 0;
  CounterFamily candles_closed;  // per interval name

  template <class Self, class V>
  static void fields(Self& s, V& v) {
    v.counter("ticks", s.ticks, "tickd_aggregator_ticks_total", "Ticks aggregated");
    v.counter("late_dropped", s.late_dropped, "tickd_late_ticks_dropped_total",
              "Ticks older than their open bucket, dropped");
    v.counter("late_amended", s.late_amended, "tickd_late_ticks_amended_total",
              "Late ticks that amended a closed candle");
    v.counter("candles_amended", s.candles_amended, "tickd_candles_amended_total",
              "Closed candles corrected and emitted again (by late ticks here, or relayed from the source)");
    v.counter("amended_unmerged", s.amended_unmerged, "tickd_candles_amended_unmerged_total",
              "Relayed amendments older than history: an interval merged from them was not corrected");
    v.counter("gap_filled", s.gap_filled, "tickd_gap_filled_total",
              "Flat candles emitted for buckets without trades");
    v.counter("gap_fill_truncated", s.gap_fill_truncated, "tickd_gap_fill_truncated_total",
              "Gaps longer than gap_fill_max: their older buckets left empty");
    v.family("candles_closed", s.candles_closed, "tickd_candles_closed_total", "interval",
             "Candles closed, per interval");
  }
};

// The feed plausibility gate (feed/tick_gate.hpp): what it refused, per reason.
struct GateStatus {
  CounterFamily rejected;  // per reason
  std::uint64_t rejected_total = 0;

  template <class Self, class V>
  static void fields(Self& s, V& v) {
    v.family("rejected", s.rejected, "tickd_feed_rejected_total", "reason",
             "Ticks and candles the feed gate refused, per reason");
    v.counter("rejected_total", s.rejected_total, nullptr, nullptr);
  }
};

struct ObserverStatus {
  std::string name;
  std::string config;  // digest of the configuration in force (observer_config_digest)
  std::uint64_t delivered = 0;
  std::uint64_t dropped = 0;
  std::uint64_t failures = 0;
  std::uint64_t skipped = 0;
  std::uint64_t queue_depth = 0;
  bool suspended = false;
  std::string suspended_reason;  // why, when suspended (a config error names its file:line:column)
  // Closed candles and signals the host could not hand to the observer
  // (skipped while suspended, refused or left queued at a shutdown deadline).
  std::uint64_t undelivered = 0;
  // undelivered + the observer's own loss counters.
  std::uint64_t lost = 0;
  std::vector<ObserverMetric> metrics;  // reported by the plugin

  template <class Self, class V>
  static void fields(Self& s, V& v) {
    v.key_label("name", s.name, "observer");
    v.label("config", s.config);
    v.info("tickd_observer_config", "1 for the configuration (digest) the observer runs");
    v.gauge("queue_depth", s.queue_depth, "tickd_observer_queue_depth", "Events waiting in the queue");
    v.counter("delivered", s.delivered, "tickd_observer_delivered_total", "Events handled");
    v.counter("dropped", s.dropped, "tickd_observer_dropped_total", "Ticks and updates dropped");
    v.counter("failures", s.failures, "tickd_observer_failures_total", "Events the observer failed");
    v.counter("skipped", s.skipped, "tickd_observer_skipped_total", "Events skipped while suspended");
    v.gauge("suspended", s.suspended, "tickd_observer_suspended", "1 when suspended after repeated failures");
    // After the config's info(): free text in /health and `tickd stats`, no
    // Prometheus label.
    v.label("suspended_reason", s.suspended_reason);
    v.counter(
        "undelivered", s.undelivered, "tickd_observer_undelivered_total",
        "Closed candles and signals never handed to the observer (suspended, or stopped at a deadline)");
    v.counter("lost", s.lost, "tickd_observer_lost_total",
              "Records lost: undelivered plus the observer's own loss counters");
    v.plugin_metrics("metrics", s.metrics);
  }
};

struct DaemonStatus {
  std::string status = "ok";  // starting (plugins loading, history warming up) | ok | stalled
  std::int64_t feed_thread_heartbeat_ms = 0;
  FeedStatus feed;
  AggregatorStatus aggregator;
  GateStatus gate;
  std::uint64_t signals_published = 0;
  std::uint64_t symbols = 0;
  std::vector<ObserverStatus> observers;

  template <class Self, class V>
  static void fields(Self& s, V& v) {
    v.label("status", s.status);
    v.info("tickd_status", "1 for the daemon's status (starting, ok, or stalled when the feed thread stops)");
    v.gauge("feed_thread_heartbeat_ms", s.feed_thread_heartbeat_ms, "tickd_feed_thread_heartbeat_ms",
            "Milliseconds since the feed thread last showed it runs");
    v.section("feed", s.feed);
    v.section("aggregator", s.aggregator);
    v.section("gate", s.gate);
    v.counter("signals_published", s.signals_published, "tickd_signals_published_total",
              "Signals published by plugins");
    v.gauge("symbols", s.symbols, "tickd_symbols", "Symbols in the symbol table");
    v.list("observers", s.observers);
  }
};

// The sum of an observer's own loss counters (not its at-risk gauges).
inline double plugin_losses(const std::vector<ObserverMetric>& metrics) {
  double sum = 0;
  for (const auto& m : metrics)
    if (m.loss && m.counter) sum += m.value;
  return sum;
}

}  // namespace tickd::core
