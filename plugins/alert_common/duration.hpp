// Durations in the config: "250ms", "30s", "5m", "1h", "1d", or a bare number
// of seconds.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace tickd::alerts {

// Throws std::invalid_argument naming `what` when the value is not a duration.
std::int64_t parse_duration_ms(const nlohmann::json& value, const std::string& what);

// "5m", "90s", "250ms": for messages.
std::string format_duration(std::int64_t ms);

}  // namespace tickd::alerts
