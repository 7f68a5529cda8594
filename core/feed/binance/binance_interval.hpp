// Binance kline interval names ("1s", "1m", "3m", ..., "12h", "1d", "3d", "1w").
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tickd::core {

// Seconds of a Binance interval name; nullopt for unknown names and for "1M",
// whose length varies by month and cannot be a fixed interval.
std::optional<std::int32_t> binance_interval_seconds(std::string_view name);

}  // namespace tickd::core
