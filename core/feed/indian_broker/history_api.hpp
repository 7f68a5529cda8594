// What a broker's historical-candle REST API looks like to the shared loader
// (HistoryLoader): which intervals it serves, how long a range one request
// may cover, how to ask and how to read the answer. Kite Connect and Angel One
// SmartAPI implement it; the loader does pacing, chunking and retries.
#pragma once

#include "feed/connection/http_fetcher.hpp"
#include "model/market_data.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tickd::core {

// One instrument as the broker's REST API names it.
struct HistoryInstrument {
  SymbolId id = 0;
  std::string symbol;    // for log lines
  std::string exchange;  // SmartAPI "NSE", "NFO", ...; unused by Kite
  std::string token;     // Kite instrument_token, SmartAPI symboltoken
};

enum class HistoryError { none, auth, rate_limited, other };

class HistoryApi {
 public:
  virtual ~HistoryApi() = default;
  virtual const char* name() const = 0;
  // Candle lengths (seconds) the API serves, ascending.
  virtual std::vector<std::int32_t> served_seconds() const = 0;
  // The longest range one request may cover for this interval (ms).
  virtual TimeMs max_range_ms(std::int32_t interval_s) const = 0;
  // Requests per second the broker allows for this API.
  virtual double requests_per_second() const = 0;
  // The candles of `interval_s` opening in [from, to).
  virtual HttpRequest request(const HistoryInstrument& instrument, std::int32_t interval_s, TimeMs from,
                              TimeMs to) const = 0;
  // Reads an answer (any status). Appends candles (symbol, interval_s set;
  // not yet flagged closed) to `out`; on failure returns the kind and `error`.
  virtual HistoryError parse(const HttpResponse& response, SymbolId symbol, std::int32_t interval_s,
                             std::vector<CandleData>& out, std::string& error) const = 0;
};

}  // namespace tickd::core
