// libFuzzer: the brokers' instrument masters. The first byte picks the form
// of the rest: 0 Kite's instruments CSV, 1 Angel One's scrip master JSON,
// 2 a gzip body inflated (capped) and read as Kite's CSV. What parses is
// then searched by name, as feed.symbols is.
#include "feed/indian_broker/instrument_master.hpp"
#include "feed/indian_broker/master_cache.hpp"
#include "feed/kite/kite_instruments.hpp"
#include "feed/smartapi/smartapi_scrip_master.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tickd::core;
  if (size == 0) return 0;
  std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const int form = data[0] % 3;
  std::string error;
  if (form == 2) {
    std::string inflated;
    if (!gunzip(text, 1 << 16, inflated, error)) {
      if (error.empty() || !inflated.empty()) std::abort();  // a failure says why and yields nothing
      return 0;
    }
    if (inflated.size() > (1u << 16)) std::abort();
    text = std::move(inflated);
  }
  MasterParse parsed;
  const bool ok = form == 1 ? parse_smartapi_scrip_master(text, parsed, error)
                            : parse_kite_instruments(text, parsed, error);
  if (!ok) {
    if (error.empty() || !parsed.instruments.empty()) std::abort();
    return 0;
  }
  if (parsed.instruments.empty()) std::abort();
  for (const auto& in : parsed.instruments)
    if (in.token.empty() || in.symbol.empty() || in.exchange.empty()) std::abort();
  const InstrumentMaster master(std::move(parsed.instruments));
  for (const char* name : {"NSE:INFY", "NFO:NIFTY24DECFUT", "X", ":"}) {
    const auto found = master.find(name, 20241226, form == 1 ? "-EQ" : "");
    if (found.expired && !found.instrument) std::abort();
  }
  return 0;
}
