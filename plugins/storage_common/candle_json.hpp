// The JSON form of a candle shared by the network stores (Redis values and
// PUBLISH payloads):
//   {"symbol":"BTCUSDT","interval":"1m","open_time":1570752000000,"close_time":1570752060000,
//    "open":..,"high":..,"low":..,"close":..,"volume":..,"quote_volume":..,"vwap":..,
//    "trade_count":12,"closed":true,"partial":false,"filled":false}
// Times are UTC milliseconds; doubles are written in their shortest exact form.
#pragma once

#include <tickd/types.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace tickd::storage {

std::string candle_to_json(const Candle& candle);

// Parses candle_to_json's output. The returned candle's `symbol` is empty (the
// text it would view dies with `json`); callers set it. nullopt on malformed input.
std::optional<Candle> candle_from_json(std::string_view json);

}  // namespace tickd::storage
