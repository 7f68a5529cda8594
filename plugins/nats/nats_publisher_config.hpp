// The `nats` observer's `config:` block: its declared keys (`tickd
// --describe-plugin nats`) and the settings read from them.
#pragma once

#include "nats_client/nats_connection.hpp"

#include <tickd/config_schema.hpp>
#include <tickd/config_view.hpp>

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

ConfigSchema publisher_config_schema();

// The host has checked every key against the schema; this throws
// std::runtime_error only for rules between keys (e.g. one auth method).
PublisherConfig read_publisher_config(const ConfigView& config, const std::string& observer_name);

}  // namespace tickd::nats_out
