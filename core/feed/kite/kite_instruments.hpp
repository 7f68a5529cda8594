// Kite Connect's instrument master: the CSV of GET /instruments (served
// gzipped, generated once a day), header
//   instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,
//   tick_size,lot_size,instrument_type,segment,exchange
// Columns are found by header name (so their order may change, and the spaces
// after the commas in Kite's documented example are tolerated); expiry is
// "yyyy-mm-dd" or empty. "NSE:INFY" names exchange + tradingsymbol.
#pragma once

#include "feed/indian_broker/instrument_master.hpp"

#include <string>
#include <string_view>

namespace tickd::core {

// RFC 4180 quoting, "\r\n" tolerated. A row with a wrong field count, a bad
// token or date, or an empty name is skipped (counted in `out.skipped`); no
// header with instrument_token, tradingsymbol and exchange, no usable row, or
// more than kMaxMasterInstruments rows is an error.
bool parse_kite_instruments(std::string_view csv, MasterParse& out, std::string& error);

}  // namespace tickd::core
