#include "feed/binance/binance_interval.hpp"

#include <array>

namespace tickd::core {
namespace {

struct BinanceInterval {
  std::string_view name;
  std::int32_t seconds;
};

// Binance's full list (GET /api/v3/exchangeInfo, "Kline/Candlestick chart intervals") minus "1M".
constexpr std::array<BinanceInterval, 15> kIntervals{{{"1s", 1},
                                                      {"1m", 60},
                                                      {"3m", 180},
                                                      {"5m", 300},
                                                      {"15m", 900},
                                                      {"30m", 1800},
                                                      {"1h", 3600},
                                                      {"2h", 7200},
                                                      {"4h", 14400},
                                                      {"6h", 21600},
                                                      {"8h", 28800},
                                                      {"12h", 43200},
                                                      {"1d", 86400},
                                                      {"3d", 259200},
                                                      {"1w", 604800}}};

}  // namespace

std::optional<std::int32_t> binance_interval_seconds(std::string_view name) {
  for (const auto& interval : kIntervals)
    if (interval.name == name) return interval.seconds;
  return std::nullopt;
}

}  // namespace tickd::core
