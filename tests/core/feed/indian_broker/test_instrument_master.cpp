// The two brokers' instrument masters parsed into one list, and names looked
// up in it: exact, case, SmartAPI's -EQ series, expired contracts, typos.
#include "feed/indian_broker/instrument_master.hpp"
#include "feed/kite/kite_instruments.hpp"
#include "feed/smartapi/smartapi_scrip_master.hpp"
#include "instrument_masters.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tickd::core {
namespace {

using test_servers::spec_instruments;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Kite's documented example (kite.trade/docs/connect/v3/market-quotes), with
// the spaces after the header's commas and its 11-field MCX row as printed.
constexpr const char* kKiteDocExample =
    "instrument_token, exchange_token, tradingsymbol, name, last_price, expiry, strike, tick_size, lot_size, "
    "instrument_type, segment, exchange\n"
    "408065,1594,INFY,INFOSYS,0,,,0.05,1,EQ,NSE,NSE\n"
    "5720322,22345,NIFTY15DECFUT,,78.0,2015-12-31,,0.05,75,FUT,NFO-FUT,NFO\n"
    "5720578,22346,NIFTY159500CE,,23.0,2015-12-31,9500,0.05,75,CE,NFO-OPT,NFO\n"
    "645639,SILVER15DECFUT,,7800.0,2015-12-31,,1,1,FUT,MCX,MCX\n";

TEST(KiteInstruments, ParsesTheDocumentedExampleAndSkipsItsShortRow) {
  MasterParse parsed;
  std::string error;
  ASSERT_TRUE(parse_kite_instruments(kKiteDocExample, parsed, error)) << error;
  ASSERT_EQ(parsed.instruments.size(), 3u);
  EXPECT_EQ(parsed.instruments[0].token, "408065");
  EXPECT_EQ(parsed.instruments[0].exchange, "NSE");
  EXPECT_EQ(parsed.instruments[0].symbol, "INFY");
  EXPECT_EQ(parsed.instruments[0].expiry, 0);
  EXPECT_EQ(parsed.instruments[1].expiry, 20151231);
  EXPECT_EQ(parsed.instruments[1].type, "FUT");
  EXPECT_EQ(parsed.skipped, 1u);
  EXPECT_EQ(parsed.first_skip, "line 5: expected 12 fields, found 11");
}

TEST(KiteInstruments, QuotedFieldsAndCrLf) {
  MasterParse parsed;
  std::string error;
  ASSERT_TRUE(
      parse_kite_instruments("exchange,tradingsymbol,instrument_token,name\r\n"
                             "NSE,\"M&M\",519937,\"MAHINDRA & MAHINDRA, LTD\"\r\n\r\n",
                             parsed, error))
      << error;
  ASSERT_EQ(parsed.instruments.size(), 1u);
  EXPECT_EQ(parsed.instruments[0].symbol, "M&M");
  EXPECT_EQ(parsed.instruments[0].token, "519937");
}

TEST(KiteInstruments, WhatIsNotAMasterIsAnError) {
  MasterParse parsed;
  std::string error;
  EXPECT_FALSE(parse_kite_instruments("a,b,c\n1,2,3\n", parsed, error));
  EXPECT_THAT(error, HasSubstr("line 1: header lacks instrument_token"));
  EXPECT_FALSE(parse_kite_instruments("", parsed, error));
  EXPECT_EQ(error, "no header row");
  EXPECT_FALSE(parse_kite_instruments("instrument_token,tradingsymbol,exchange\nx1,INFY,NSE\n0,A,NSE\n",
                                      parsed, error));
  EXPECT_EQ(error, "no usable instrument (line 2: bad instrument_token)");
  EXPECT_FALSE(parse_kite_instruments("<html>502 Bad Gateway</html>", parsed, error));
  EXPECT_FALSE(parse_kite_instruments("instrument_token,tradingsymbol,exchange,expiry\n1,A,NFO,2024-13-01\n",
                                      parsed, error));
  EXPECT_THAT(error, HasSubstr("bad expiry"));
}

TEST(SmartApiScripMaster, ParsesEntriesAndExpiries) {
  const std::string json = R"([
    {"token":"2885","symbol":"RELIANCE-EQ","name":"RELIANCE","expiry":"","strike":"-1.000000","lotsize":"1",
     "instrumenttype":"","exch_seg":"NSE","tick_size":"5.000000"},
    {"token":"45829","symbol":"NIFTY04APR2423000CE","name":"NIFTY","expiry":"04Apr2024","strike":"2300000.000000",
     "lotsize":"50","instrumenttype":"OPTIDX","exch_seg":"NFO","tick_size":"5.000000"},
    {"token":"35003","symbol":"NIFTY26DEC24FUT","name":"NIFTY","expiry":"26DEC2024","strike":"-1.000000",
     "lotsize":"75","instrumenttype":"FUTIDX","exch_seg":"NFO","tick_size":"10.000000"},
    {"token":2885,"symbol":"NUMBER-TOKEN","exch_seg":"NSE"},
    {"token":"1","symbol":"BAD-DATE","exch_seg":"NSE","expiry":"31-12-2024"},
    "not an object"
  ])";
  MasterParse parsed;
  std::string error;
  ASSERT_TRUE(parse_smartapi_scrip_master(json, parsed, error)) << error;
  ASSERT_EQ(parsed.instruments.size(), 3u);
  EXPECT_EQ(parsed.instruments[0].symbol, "RELIANCE-EQ");
  EXPECT_EQ(parsed.instruments[1].expiry, 20240404);
  EXPECT_EQ(parsed.instruments[2].expiry, 20241226);
  EXPECT_EQ(parsed.instruments[2].type, "FUTIDX");
  EXPECT_EQ(parsed.skipped, 3u);
  EXPECT_EQ(parsed.first_skip, "entry 4: no token of digits");
  EXPECT_FALSE(parse_smartapi_scrip_master("{\"a\":1}", parsed, error));
  EXPECT_THAT(error, HasSubstr("not a JSON array"));
  EXPECT_FALSE(parse_smartapi_scrip_master("[]", parsed, error));
  EXPECT_FALSE(parse_smartapi_scrip_master("[{\"token\":\"1\"", parsed, error));
  EXPECT_EQ(smartapi_exchange_type("NFO"), 2);
  EXPECT_EQ(smartapi_exchange_type("CDS"), 13);
  EXPECT_EQ(smartapi_exchange_type("NSX"), 0);
}

InstrumentMaster kite_master(int today) {
  MasterParse parsed;
  std::string error;
  EXPECT_TRUE(
      parse_kite_instruments(test_servers::kite_instruments_csv(spec_instruments(today)), parsed, error))
      << error;
  EXPECT_EQ(parsed.skipped, 0u);
  return InstrumentMaster(std::move(parsed.instruments));
}

TEST(InstrumentMaster, FindsNamesExactlyOrIgnoringCase) {
  const int today = test_servers::ist_today();
  const InstrumentMaster master = kite_master(today);
  EXPECT_GT(master.size(), 200u);
  auto infy = master.find("NSE:INFY", today);
  ASSERT_TRUE(infy.instrument);
  EXPECT_EQ(infy.instrument->token, "408065");  // the token of the recorded Kite packets
  EXPECT_FALSE(infy.expired);
  auto nifty = master.find("nse:nifty 50", today);
  ASSERT_TRUE(nifty.instrument);
  EXPECT_EQ(nifty.instrument->token, "256265");
  EXPECT_FALSE(master.find("NSE:INFY-EQ", today).instrument);
}

TEST(InstrumentMaster, ATypoGetsTheClosestNames) {
  const int today = test_servers::ist_today();
  const InstrumentMaster master = kite_master(today);
  auto typo = master.find("NSE:INFU", today);
  EXPECT_FALSE(typo.instrument);
  ASSERT_FALSE(typo.suggestions.empty());
  EXPECT_EQ(typo.suggestions.front(), "NSE:INFY");
  // A mistyped exchange: the same symbol elsewhere.
  auto exchange = master.find("NSX:RELIANCE", today);
  EXPECT_FALSE(exchange.instrument);
  EXPECT_THAT(exchange.suggestions, Contains("NSE:RELIANCE"));
}

TEST(InstrumentMaster, AnExpiredContractIsReportedWithLiveOnes) {
  const int today = test_servers::ist_today();
  const auto spec = spec_instruments(today);
  const InstrumentMaster master = kite_master(today);
  const auto& old = test_servers::expired_future(spec);
  auto found = master.find("NFO:" + old.kite_symbol, today);
  ASSERT_TRUE(found.instrument);
  EXPECT_TRUE(found.expired);
  EXPECT_EQ(found.instrument->expiry, old.expiry);
  EXPECT_THAT(found.suggestions, Contains("NFO:" + test_servers::live_future(spec).kite_symbol));
  auto live = master.find("NFO:" + test_servers::live_future(spec).kite_symbol, today);
  ASSERT_TRUE(live.instrument);
  EXPECT_FALSE(live.expired);
}

TEST(InstrumentMaster, SmartApiEquitiesByNameWithoutTheirSeries) {
  const int today = test_servers::ist_today();
  MasterParse parsed;
  std::string error;
  ASSERT_TRUE(parse_smartapi_scrip_master(test_servers::smartapi_scrip_master_json(spec_instruments(today)),
                                          parsed, error))
      << error;
  const InstrumentMaster master(std::move(parsed.instruments));
  auto reliance = master.find("NSE:RELIANCE", today, "-EQ");
  ASSERT_TRUE(reliance.instrument);
  EXPECT_EQ(reliance.instrument->token, "2885");
  EXPECT_EQ(reliance.instrument->symbol, "RELIANCE-EQ");
  auto bse = master.find("BSE:RELIANCE", today, "-EQ");
  ASSERT_TRUE(bse.instrument);
  EXPECT_EQ(bse.instrument->token, "500325");
  auto index = master.find("NSE:Nifty 50", today, "-EQ");
  ASSERT_TRUE(index.instrument);
  EXPECT_EQ(index.instrument->token, "99926000");
}

TEST(InstrumentMaster, IstDates) {
  EXPECT_EQ(ist_date(0), 19700101);
  EXPECT_EQ(ist_date(1735151400000LL), 20241226);  // 2024-12-25T18:30Z = 26 Dec 00:00 IST
  EXPECT_EQ(ist_date(1735151399999LL), 20241225);
  EXPECT_EQ(format_yyyymmdd(20241226), "2024-12-26");
}

}  // namespace
}  // namespace tickd::core
