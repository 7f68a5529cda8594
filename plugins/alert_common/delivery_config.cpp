#include "alert_common/delivery_config.hpp"

namespace tickd::alerts {

DeliveryConfig read_delivery_config(const ConfigReader& r) {
  DeliveryConfig c;
  DeliverySettings& s = c.settings;
  s.queue_size = r.count("queue_size", s.queue_size, 1, 1000000);
  c.stop_timeout_ms = r.duration("stop_timeout", c.stop_timeout_ms);
  if (r.has("retry")) {
    ConfigReader retry(r.at("retry"), r.where() + "retry: ");
    retry.only_keys({"initial", "max", "attempts"});
    s.retry_initial_ms = retry.duration("initial", s.retry_initial_ms);
    s.retry_max_ms = retry.duration("max", s.retry_max_ms);
    s.max_attempts = static_cast<std::uint32_t>(retry.count("attempts", s.max_attempts, 1, 1000000));
    if (s.retry_initial_ms <= 0 || s.retry_max_ms < s.retry_initial_ms)
      retry.fail("'initial' must be positive and not above 'max'");
  }
  return c;
}

}  // namespace tickd::alerts
