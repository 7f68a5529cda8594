// Real trades (the XRPETH aggTrades of ../shared/data, prices scaled to paise
// and quantities to whole shares) played as a Kite or SmartAPI server would:
// one snapshot packet per trade with the day volume growing by the trade, and
// the historical REST answers (Kite GET /instruments/historical, SmartAPI
// POST getCandleData) built from the same trades, in the brokers' formats.
#pragma once

#include "local_ws_server.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tickd::test_servers {

struct PaiseTrade {
  std::int64_t time_ms;  // Kite's packets carry whole seconds: truncated for Kite
  std::int64_t paise;
  std::uint32_t quantity;
};

// Rows of an XRPETH aggTrades CSV; price * 10^8 becomes paise (0.00141342 ETH
// -> 1413.42 rupees), quantity rounded (at least 1). `whole_seconds` for Kite.
std::vector<PaiseTrade> paise_trades(const std::string& csv_path, bool whole_seconds);

struct PaiseCandle {
  std::int64_t open_time;               // ms
  std::int64_t open, high, low, close;  // paise
  std::uint64_t volume;
};
// The candles of `interval_s` the trades make (only buckets with trades, as
// the Indian brokers answer).
std::vector<PaiseCandle> paise_candles(const std::vector<PaiseTrade>& trades, std::int64_t interval_s);

// Kite full packets (one per frame), instrument `token`.
std::vector<std::string> kite_trade_frames(const std::vector<PaiseTrade>& trades, std::uint32_t token);
// SmartAPI SnapQuote packets, nse_cm `token`.
std::vector<std::string> smartapi_trade_frames(const std::vector<PaiseTrade>& trades,
                                               const std::string& token);

// GET /instruments/historical/<token>/minute?from=..&to=.. like Kite (IST
// "yyyy-mm-dd hh:mm:ss", both inclusive); 404 for anything else.
HttpAnswer kite_historical_answer(const std::vector<PaiseCandle>& minute, const std::string& resource);
// POST /rest/secure/angelbroking/historical/v1/getCandleData like SmartAPI.
HttpAnswer smartapi_candle_answer(const std::vector<PaiseCandle>& minute, const HttpCall& call);

// "yyyy-mm-dd hh:mm[:ss]" IST -> ms; -1 when malformed.
std::int64_t parse_ist(const std::string& text);

}  // namespace tickd::test_servers
