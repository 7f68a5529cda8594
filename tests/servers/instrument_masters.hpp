// Spec-built instrument masters, as the brokers publish them: Kite's
// GET /instruments CSV (kite.trade/docs/connect/v3/market-quotes: columns
// instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,
// tick_size,lot_size,instrument_type,segment,exchange) and Angel One's
// OpenAPIScripMaster.json (objects of strings: token, symbol, name, expiry
// "ddMMMyyyy", strike, lotsize, instrumenttype, exch_seg, tick_size).
//
// A few hundred rows: the real tokens of INFY (408065 on Kite, from the
// recorded packets in ../shared/data/kite; 1594 on SmartAPI), RELIANCE
// (738561 / 2885) and the NIFTY 50 index (256265 / 99926000), generated
// equities around them, and NIFTY / BANKNIFTY futures and options whose
// expiries lie around `today`: the previous month's contracts have expired
// (masters fetched a day late still list them), the next three are live.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tickd::test_servers {

struct SpecInstrument {
  std::string kite_token;       // instrument_token
  std::string smartapi_token;   // token
  std::string exchange;         // NSE, NFO, BSE
  std::string kite_symbol;      // INFY, NIFTY26JANFUT, NIFTY26JAN24000CE, NIFTY 50
  std::string smartapi_symbol;  // INFY-EQ, NIFTY29JAN26FUT, Nifty 50
  std::string name;             // INFOSYS, NIFTY
  int expiry = 0;               // yyyymmdd; 0 = none
  std::string kite_type;        // EQ, FUT, CE, PE
  std::string smartapi_type;    // "", FUTIDX, OPTIDX, AMXIDX
  int strike = 0;
  int lot_size = 1;
};

// `today` is yyyymmdd (IST).
std::vector<SpecInstrument> spec_instruments(int today);

std::string kite_instruments_csv(const std::vector<SpecInstrument>& instruments);
std::string smartapi_scrip_master_json(const std::vector<SpecInstrument>& instruments);

// The NIFTY future that expired last month, and the next live one.
const SpecInstrument& expired_future(const std::vector<SpecInstrument>& instruments);
const SpecInstrument& live_future(const std::vector<SpecInstrument>& instruments);

// gzip of `text` (what Kite's /instruments sends).
std::string gzip(const std::string& text);

// Today in IST as yyyymmdd.
int ist_today();

}  // namespace tickd::test_servers
