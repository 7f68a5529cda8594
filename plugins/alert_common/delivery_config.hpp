// The delivery keys the notifiers share (webhook, telegram, email_alert):
// `queue_size`, `retry` ({initial, max, attempts}) and `stop_timeout`, as one
// schema fragment and its reader.
#pragma once

#include "alert_common/delivery_queue.hpp"

#include <tickd/config_schema.hpp>
#include <tickd/config_view.hpp>

#include <cstdint>
#include <vector>

namespace tickd::alerts {

struct DeliveryConfig {
  DeliverySettings settings;
  std::int64_t stop_timeout_ms = 5000;
};

// The keys, with `defaults` as their defaults (email keeps fewer mails waiting
// and waits longer between retries than a chat).
std::vector<ConfigKey> delivery_keys(const DeliveryConfig& defaults);

// Throws std::invalid_argument when retry.initial is above retry.max.
DeliveryConfig read_delivery_config(const ConfigView& config);

}  // namespace tickd::alerts
