#include "alert_common/delivery_config.hpp"

#include <tickd/duration.hpp>

#include <stdexcept>

namespace tickd::alerts {

std::vector<ConfigKey> delivery_keys(const DeliveryConfig& defaults) {
  namespace s = tickd::schema;
  const DeliverySettings& d = defaults.settings;
  return {
      s::integer("queue_size", "Messages waiting to be sent; a full queue drops new ones (counted as lost)")
          .default_value(d.queue_size)
          .range(1, 1000000),
      s::object("retry",
                {s::duration("initial", "Wait before the first retry (it doubles up to max)")
                     .default_value(format_duration(d.retry_initial_ms))
                     .range("1ms", "1h"),
                 s::duration("max", "Longest wait between retries")
                     .default_value(format_duration(d.retry_max_ms))
                     .range("1ms", "1d"),
                 s::integer("attempts", "Tries of one message before it is given up on (counted as lost)")
                     .default_value(d.max_attempts)
                     .range(1, 1000000)},
                "Retries of a failed send, with exponential backoff"),
      s::duration("stop_timeout", "How long stopping waits for the queue to drain")
          .default_value(format_duration(defaults.stop_timeout_ms))
          .range("0s", "10m"),
  };
}

DeliveryConfig read_delivery_config(const ConfigView& config) {
  DeliveryConfig c;
  DeliverySettings& s = c.settings;
  s.queue_size = static_cast<std::size_t>(config.integer("queue_size"));
  c.stop_timeout_ms = config.duration("stop_timeout").count();
  const ConfigView retry = config.object("retry");
  s.retry_initial_ms = retry.duration("initial").count();
  s.retry_max_ms = retry.duration("max").count();
  s.max_attempts = static_cast<std::uint32_t>(retry.integer("attempts"));
  if (s.retry_max_ms < s.retry_initial_ms)
    throw std::invalid_argument(retry.path() + ": 'initial' (" + format_duration(s.retry_initial_ms) +
                                ") must not be above 'max' (" + format_duration(s.retry_max_ms) + ")");
  return c;
}

}  // namespace tickd::alerts
