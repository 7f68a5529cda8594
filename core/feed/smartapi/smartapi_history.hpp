// Angel One SmartAPI historical candles (smartapi.angelbroking.com/docs/Historical):
//   POST /rest/secure/angelbroking/historical/v1/getCandleData
//   body {"exchange":"NSE","symboltoken":"3045","interval":"ONE_MINUTE",
//         "fromdate":"2021-02-08 09:00","todate":"2021-02-08 09:16"} (IST, inclusive)
//   headers Authorization: Bearer <jwt>, X-PrivateKey: <api_key>, X-UserType,
//   X-SourceID, X-ClientLocalIP, X-ClientPublicIP, X-MACAddress, JSON content
//   answer
//   {"status":true,"message":"SUCCESS","errorcode":"","data":[["2023-09-06T11:15:00+05:30",o,h,l,c,v],..]}
//   errors {"status":false,"errorcode":"AG8001","message":"Invalid Token"} (AG8001..AG8003: token)
// Intervals ONE_MINUTE (30 days per request), THREE_MINUTE (60), FIVE_MINUTE,
// TEN_MINUTE (100), FIFTEEN_MINUTE, THIRTY_MINUTE (200), ONE_HOUR (400),
// ONE_DAY (2000); 3 requests per second.
#pragma once

#include "feed/indian_broker/history_api.hpp"

namespace tickd::core {

class SmartApiHistoryApi : public HistoryApi {
 public:
  SmartApiHistoryApi(std::string rest_url, std::string api_key, std::string jwt)
      : rest_url_(std::move(rest_url)), api_key_(std::move(api_key)), jwt_(std::move(jwt)) {}
  void set_jwt(std::string jwt) { jwt_ = std::move(jwt); }

  const char* name() const override { return "smartapi"; }
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
  std::string jwt_;
};

// SmartAPI's exchange name for a WebSocket exchange type (1 -> "NSE", 2 -> "NFO", ...).
const char* smartapi_exchange_name(int exchange_type);

}  // namespace tickd::core
