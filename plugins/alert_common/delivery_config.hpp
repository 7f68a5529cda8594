// The delivery keys webhook and telegram share: `queue_size`, `retry`
// ({initial, max, attempts}) and `stop_timeout`.
#pragma once

#include "alert_common/config_reader.hpp"
#include "alert_common/delivery_queue.hpp"

#include <string>
#include <vector>

namespace tickd::alerts {

struct DeliveryConfig {
  DeliverySettings settings;
  std::int64_t stop_timeout_ms = 5000;
};

DeliveryConfig read_delivery_config(const ConfigReader& config);

inline const std::vector<std::string>& delivery_keys() {
  static const std::vector<std::string> keys{"queue_size", "retry", "stop_timeout"};
  return keys;
}

}  // namespace tickd::alerts
