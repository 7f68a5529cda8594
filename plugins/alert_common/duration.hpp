// Durations in a notifier's config, in tickd's one syntax (tickd/duration.hpp):
// "250ms", "30s", "5m", "1h", "1d", or a number of seconds.
#pragma once

#include <tickd/duration.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace tickd::alerts {

// Throws std::invalid_argument naming `what` when the value is not a duration.
inline std::int64_t parse_duration_ms(const nlohmann::json& value, const std::string& what) {
  std::optional<std::int64_t> ms;
  if (value.is_string()) ms = tickd::parse_duration_ms(value.get<std::string>());
  if (value.is_number() && value.get<double>() >= 0 &&
      value.get<double>() * 1000 <= static_cast<double>(kMaxDurationMs))
    ms = static_cast<std::int64_t>(std::llround(value.get<double>() * 1000));
  if (!ms)
    throw std::invalid_argument(what + " must be a duration like 250ms, 30s, 5m, 1h or 1d, got " +
                                value.dump());
  return *ms;
}

using tickd::format_duration;

}  // namespace tickd::alerts
