// The `nats` observer's `config:` block, read in this one place (it moves to
// a declared ConfigSchema once the SDK has one). Every key and its default is
// in docs/PLUGINS.md.
#pragma once

#include <tickd/nats_connection.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace tickd::nats_out {

struct StreamSettings {
  std::string name = "TICKD";
  bool create = true;  // create it when missing (else: a missing stream is an error)
  std::int64_t replicas = 1;
  std::int64_t max_age_s = 7 * 86400;  // 0: no age limit
  std::int64_t max_bytes = -1;         // -1: no size limit
  std::int64_t duplicate_window_s = 120;
  bool memory = false;  // storage: file (default) or memory
};

struct PublisherConfig {
  NatsConnectionConfig connection;
  std::string prefix = "tickd";
  bool ticks = true;
  bool updates = true;
  // Closed candles flagged partial (the first one after start, the ones closed
  // at shutdown). Off for active-active ingests: the other node's full candle
  // must not lose the de-duplication race to a partial one.
  bool partial = true;
  StreamSettings stream;
  std::int64_t max_pending = 256;  // JetStream publishes awaiting their ack
  std::int64_t backlog = 100000;   // closed candles and signals waiting for NATS
  std::int64_t ack_timeout_ms = 5000;
  std::int64_t drain_timeout_ms = 5000;  // at stop, to send what is still waiting
};

// Throws std::runtime_error naming the key when the block is wrong.
PublisherConfig read_publisher_config(const nlohmann::json& config, const std::string& observer_name);

}  // namespace tickd::nats_out
