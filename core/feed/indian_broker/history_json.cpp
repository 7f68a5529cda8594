#include "feed/indian_broker/history_json.hpp"

#include "feed/indian_broker/ist_time.hpp"

#include <cmath>

namespace tickd::core {

namespace {

bool number(const nlohmann::json& v, double& out) {
  if (!v.is_number()) return false;
  out = v.get<double>();
  return std::isfinite(out) && out >= 0;
}

}  // namespace

bool read_candle_rows(const nlohmann::json& rows, SymbolId symbol, std::int32_t interval_s,
                      std::vector<CandleData>& out, std::string& error) {
  if (!rows.is_array()) {
    error = "candles are not an array";
    return false;
  }
  std::vector<CandleData> parsed;
  parsed.reserve(rows.size());
  std::size_t index = 0;
  for (const auto& row : rows) {
    const std::string where = "candle " + std::to_string(index++) + ": ";
    if (!row.is_array() || row.size() < 6) {
      error = where + "not an array of at least 6 values";
      return false;
    }
    if (!row[0].is_string()) {
      error = where + "time is not a string";
      return false;
    }
    const auto time = parse_iso_time(row[0].get_ref<const std::string&>());
    if (!time) {
      error = where + "bad time";
      return false;
    }
    CandleData c;
    c.symbol = symbol;
    c.interval_s = interval_s;
    c.open_time = *time;
    if (!number(row[1], c.open) || !number(row[2], c.high) || !number(row[3], c.low) ||
        !number(row[4], c.close) || !number(row[5], c.volume)) {
      error = where + "bad price or volume";
      return false;
    }
    if (c.low > c.high || c.open > c.high || c.open < c.low || c.close > c.high || c.close < c.low) {
      error = where + "prices outside [low, high]";
      return false;
    }
    // Brokers give no turnover: the typical price stands in for the VWAP.
    c.quote_volume = c.volume * (c.high + c.low + c.close) / 3;
    parsed.push_back(c);
  }
  out.insert(out.end(), parsed.begin(), parsed.end());
  return true;
}

}  // namespace tickd::core
