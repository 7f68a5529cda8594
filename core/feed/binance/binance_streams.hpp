// Which Binance streams to open for the configured symbols, and how: the
// combined-stream URL (.../stream?streams=a/b/c) or a SUBSCRIBE message.
#pragma once

#include "config/config.hpp"

#include <string>
#include <vector>

namespace tickd::core {

// "btcusdt@aggTrade", "btcusdt@kline_1m", ... for every symbol x stream.
std::vector<std::string> binance_stream_names(const std::vector<std::string>& symbols,
                                              const std::vector<std::string>& streams);

// The URL to connect to: in combined mode the streams go in its query.
std::string binance_connect_url(const BinanceConfig& config, const std::vector<std::string>& stream_names);

// {"method":"SUBSCRIBE","params":[...],"id":<id>}
std::string binance_subscribe_message(const std::vector<std::string>& stream_names, int id);

// Seconds of each kline_<interval> stream in `streams`.
std::vector<std::int32_t> binance_kline_seconds(const std::vector<std::string>& streams);

}  // namespace tickd::core
