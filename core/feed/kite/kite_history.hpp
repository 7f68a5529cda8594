// Kite Connect historical candles (https://kite.trade/docs/connect/v3/historical/):
//   GET /instruments/historical/{instrument_token}/{interval}?from=..&to=..
//   headers X-Kite-Version: 3, Authorization: token api_key:access_token
//   intervals minute, 3minute, 5minute, 10minute, 15minute, 30minute, 60minute, day
//   from/to "yyyy-mm-dd hh:mm:ss" (IST), both inclusive
//   answer {"status":"success","data":{"candles":[["2021-07-05T09:15:00+0530",o,h,l,c,v],..]}}
//   errors {"status":"error","error_type":"TokenException",..} with HTTP 403 for a bad token
// Per request at most 60 days of minute candles, 100 of 3/5/10minute, 200 of
// 15/30minute, 400 of 60minute and 2000 of day; 3 requests per second.
#pragma once

#include "feed/indian_broker/history_api.hpp"

namespace tickd::core {

class KiteHistoryApi : public HistoryApi {
 public:
  KiteHistoryApi(std::string rest_url, std::string api_key, std::string access_token)
      : rest_url_(std::move(rest_url)),
        api_key_(std::move(api_key)),
        access_token_(std::move(access_token)) {}
  void set_access_token(std::string token) { access_token_ = std::move(token); }

  const char* name() const override { return "kite"; }
  std::vector<std::int32_t> served_seconds() const override;
  TimeMs max_range_ms(std::int32_t interval_s) const override;
  double requests_per_second() const override { return 3; }
  HttpRequest request(const HistoryInstrument& instrument, std::int32_t interval_s, TimeMs from,
                      TimeMs to) const override;
  HistoryError parse(const HttpResponse& response, SymbolId symbol, std::int32_t interval_s,
                     std::vector<CandleData>& out, std::string& error) const override;

 private:
  std::string rest_url_;
  std::string api_key_;
  std::string access_token_;
};

// Kite's interval name for a candle length; nullptr when Kite has none.
const char* kite_interval_name(std::int32_t interval_s);

}  // namespace tickd::core
