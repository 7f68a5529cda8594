// libFuzzer: one input = one answer of a broker's historical API, read as
// Kite's (GET /instruments/historical) and as SmartAPI's (getCandleData), with
// the HTTP statuses that take different paths.
#include "feed/indian_broker/ist_time.hpp"
#include "feed/kite/kite_history.hpp"
#include "feed/smartapi/smartapi_history.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tickd::core;
  static const KiteHistoryApi kite("http://127.0.0.1", "k", "t");
  static const SmartApiHistoryApi smartapi("http://127.0.0.1", "k", "t");
  HttpResponse response;
  response.body.assign(reinterpret_cast<const char*>(data), size);
  for (long status : {200L, 403L, 429L}) {
    response.status = status;
    for (const HistoryApi* api :
         {static_cast<const HistoryApi*>(&kite), static_cast<const HistoryApi*>(&smartapi)}) {
      std::vector<CandleData> out;
      std::string error;
      const HistoryError kind = api->parse(response, 1, 60, out, error);
      if (kind != HistoryError::none && !out.empty()) std::abort();  // nothing half-parsed
      for (const CandleData& c : out)
        if (!(c.low <= c.open && c.open <= c.high && c.low <= c.close && c.close <= c.high) || c.volume < 0)
          std::abort();
    }
  }
  parse_iso_time(response.body);
  return 0;
}
