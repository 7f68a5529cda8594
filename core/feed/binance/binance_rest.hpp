// Binance REST klines (/api/v3/klines): the request path and the response parser.
// The HTTP itself belongs to the feed's connection code.
#pragma once

#include "model/market_data.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tickd::core {

// Binance's maximum `limit` for /api/v3/klines.
constexpr int kBinanceKlinesMaxLimit = 1000;

// "/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=...&endTime=...&limit=1000".
// start_time / end_time < 0 leave the parameter out; limit is clamped to
// [1, kBinanceKlinesMaxLimit]. `symbol` is upper-cased as Binance requires.
std::string binance_klines_path(std::string_view symbol, std::string_view interval, TimeMs start_time,
                                int limit, TimeMs end_time = -1);

// Parses the response body: an array of arrays
//   [openTime, "open", "high", "low", "close", "volume", closeTime, "quoteVolume", trades, ...].
// Each kline becomes a CandleData with `symbol` and `interval_s`; it is flagged
// TICKD_CANDLE_CLOSED when its closeTime is before `now_ms` (Binance includes the
// candle still in progress as the last element). Appends to `out`; on failure
// returns false, sets `error` and leaves `out` as it was.
bool parse_binance_klines(std::string_view body, SymbolId symbol, std::int32_t interval_s, TimeMs now_ms,
                          std::vector<CandleData>& out, std::string& error);

}  // namespace tickd::core
