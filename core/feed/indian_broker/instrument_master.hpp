// A broker's instrument master (Kite's GET /instruments CSV, Angel One's
// OpenAPIScripMaster.json) as one list of instruments, and the lookup of a
// configured name "EXCHANGE:SYMBOL" in it: the token to subscribe, or why
// there is none (expired contract, unknown name with the closest ones).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tickd::core {

// Every parser stops at this many instruments (the real masters hold about
// 100k (Kite) and 150k (SmartAPI)): beyond it the input is not a master.
constexpr std::size_t kMaxMasterInstruments = 2'000'000;

struct MasterInstrument {
  std::string exchange;  // "NSE", "NFO", "BSE", "MCX", ... (Kite exchange, SmartAPI exch_seg)
  std::string symbol;    // Kite tradingsymbol "NIFTY24DECFUT"; SmartAPI symbol "RELIANCE-EQ"
  std::string token;     // Kite instrument_token, SmartAPI token (digits)
  int expiry = 0;        // yyyymmdd; 0 = none (equities, indices)
  std::string type;      // EQ, FUT, CE, PE (Kite); OPTIDX, FUTSTK, AMXIDX, "" (SmartAPI)
};

// What a parser made of a master: rows it skipped are counted, not fatal (one
// odd row must not cost the day's 100k others); the first reason is kept.
struct MasterParse {
  std::vector<MasterInstrument> instruments;
  std::size_t skipped = 0;
  std::string first_skip;  // "line 12: bad instrument_token"
};

// A parser of one broker's master text; false (with `error`) when the text is
// not that master at all (no header, not a JSON array, no instrument).
using MasterParser = bool (*)(std::string_view text, MasterParse& out, std::string& error);

class InstrumentMaster {
 public:
  explicit InstrumentMaster(std::vector<MasterInstrument> instruments);

  std::size_t size() const { return instruments_.size(); }

  struct Lookup {
    const MasterInstrument* instrument = nullptr;  // found (perhaps expired)
    bool expired = false;                          // expiry before `today`
    std::vector<std::string> suggestions;          // when not found, or expired: live alternatives
  };
  // `name` is "EXCHANGE:SYMBOL"; the exact name first, then ignoring case, then
  // SYMBOL + `equity_suffix` (SmartAPI lists NSE:RELIANCE as RELIANCE-EQ).
  // `today` is yyyymmdd in IST.
  Lookup find(std::string_view name, int today, std::string_view equity_suffix = {}) const;

 private:
  const MasterInstrument* exact(const std::string& name) const;
  std::vector<std::string> closest(std::string_view name, int today) const;

  std::vector<MasterInstrument> instruments_;
  std::unordered_map<std::string, std::size_t> by_name_;   // "NSE:INFY"
  std::unordered_map<std::string, std::size_t> by_upper_;  // "NSE:NIFTY 50" upper-cased
};

// yyyymmdd -> "yyyy-mm-dd".
std::string format_yyyymmdd(int date);
// The IST calendar date of `utc_ms` as yyyymmdd.
int ist_date(std::int64_t utc_ms);

}  // namespace tickd::core
