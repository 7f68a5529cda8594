// Client -> server text messages of the Kite ticker and the instruments CSV.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tickd::core {

enum class KiteMode { ltp, quote, full };

// "ltp" | "quote" | "full"
std::string_view kite_mode_name(KiteMode mode);
bool parse_kite_mode(std::string_view name, KiteMode& out);

// {"a":"subscribe","v":[408065,884737]}
std::string kite_subscribe_message(const std::vector<std::uint32_t>& tokens);
// {"a":"unsubscribe","v":[408065]}
std::string kite_unsubscribe_message(const std::vector<std::uint32_t>& tokens);
// {"a":"mode","v":["full",[408065]]}
std::string kite_mode_message(KiteMode mode, const std::vector<std::uint32_t>& tokens);

// One row of Kite's instruments dump (GET /instruments), header
// instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,
// tick_size,lot_size,instrument_type,segment,exchange
// (columns are found by header name, so their order may change).
struct KiteInstrument {
  std::uint32_t instrument_token = 0;
  std::string tradingsymbol;  // "INFY"
  std::string exchange;       // "NSE"
  std::string segment;        // "NSE", "NFO-OPT", "INDICES", ...

  // "NSE:INFY", the form Kite's own APIs use.
  std::string qualified_name() const { return exchange + ":" + tradingsymbol; }
};

// Parses the whole CSV (header row first; quoted fields with commas allowed,
// "\r\n" tolerated). Appends to `out`; on failure returns false with
// `error` = "line N: what" and `out` unchanged.
bool parse_kite_instruments_csv(std::string_view csv, std::vector<KiteInstrument>& out, std::string& error);

// token -> "EXCHANGE:TRADINGSYMBOL" (qualified) or "TRADINGSYMBOL".
std::unordered_map<std::uint32_t, std::string> kite_token_names(
    const std::vector<KiteInstrument>& instruments, bool qualified);

}  // namespace tickd::core
