// The candle rows both Indian brokers answer with: [time, open, high, low,
// close, volume(, oi)], time ISO 8601 with an offset.
#pragma once

#include "model/market_data.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace tickd::core {

// Appends each row of `rows` (a JSON array) to `out`; false with `error` on
// the first bad row (out is then left as it was).
bool read_candle_rows(const nlohmann::json& rows, SymbolId symbol, std::int32_t interval_s,
                      std::vector<CandleData>& out, std::string& error);

}  // namespace tickd::core
