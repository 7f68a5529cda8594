// Angel One's instrument master, OpenAPIScripMaster.json: one JSON array of
// objects whose values are all strings,
//   {"token":"2885","symbol":"RELIANCE-EQ","name":"RELIANCE","expiry":"",
//    "strike":"-1.000000","lotsize":"1","instrumenttype":"","exch_seg":"NSE",
//    "tick_size":"5.000000"}
// expiry is "ddMMMyyyy" ("26DEC2024", also "04Apr2024") or empty. Equities
// carry their series in the symbol (RELIANCE-EQ); indices are e.g.
// {"token":"99926000","symbol":"Nifty 50","name":"NIFTY","instrumenttype":"AMXIDX"}.
#pragma once

#include "feed/indian_broker/instrument_master.hpp"

#include <string>
#include <string_view>

namespace tickd::core {

// An entry without a string token of digits, symbol or exch_seg, or with a bad
// expiry is skipped (counted); a text that is not a JSON array, has no usable
// entry or more than kMaxMasterInstruments entries is an error.
bool parse_smartapi_scrip_master(std::string_view json, MasterParse& out, std::string& error);

// exch_seg -> the WebSocket V2 exchange type (NSE 1, NFO 2, BSE 3, BFO 4,
// MCX 5, NCDEX 7, CDS 13); 0 when unknown.
int smartapi_exchange_type(std::string_view exch_seg);

}  // namespace tickd::core
