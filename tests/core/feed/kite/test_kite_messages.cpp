// Kite subscribe/mode messages and the instruments CSV.
#include "feed/kite/kite_messages.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

TEST(KiteMessages, SubscribeAndMode) {
  EXPECT_EQ(kite_subscribe_message({408065, 884737}), R"({"a":"subscribe","v":[408065,884737]})");
  EXPECT_EQ(kite_unsubscribe_message({408065}), R"({"a":"unsubscribe","v":[408065]})");
  EXPECT_EQ(kite_mode_message(KiteMode::full, {408065}), R"({"a":"mode","v":["full",[408065]]})");
  EXPECT_EQ(kite_mode_message(KiteMode::ltp, {}), R"({"a":"mode","v":["ltp",[]]})");
}

TEST(KiteMessages, ModeNames) {
  KiteMode mode = KiteMode::ltp;
  EXPECT_TRUE(parse_kite_mode("quote", mode));
  EXPECT_EQ(mode, KiteMode::quote);
  EXPECT_FALSE(parse_kite_mode("FULL", mode));
  EXPECT_EQ(kite_mode_name(KiteMode::full), "full");
}

// The first rows of Kite's instruments dump format (GET /instruments).
constexpr const char* kCsv =
    "instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,"
    "instrument_type,segment,exchange\r\n"
    "408065,1594,INFY,INFOSYS,0,,0,0.05,1,EQ,NSE,NSE\r\n"
    "256265,1001,NIFTY 50,\"NIFTY 50\",0,,0,0,0,EQ,INDICES,NSE\r\n"
    "5720322,22345,\"M&M\",\"MAHINDRA & MAHINDRA, LTD\",0,,0,0.05,1,EQ,NSE,NSE\r\n"
    "\r\n";

TEST(KiteInstrumentsCsv, ParsesRowsWithQuotedFields) {
  std::vector<KiteInstrument> instruments;
  std::string error;
  ASSERT_TRUE(parse_kite_instruments_csv(kCsv, instruments, error)) << error;
  ASSERT_EQ(instruments.size(), 3u);
  EXPECT_EQ(instruments[0].instrument_token, 408065u);
  EXPECT_EQ(instruments[0].tradingsymbol, "INFY");
  EXPECT_EQ(instruments[0].exchange, "NSE");
  EXPECT_EQ(instruments[0].segment, "NSE");
  EXPECT_EQ(instruments[0].qualified_name(), "NSE:INFY");
  EXPECT_EQ(instruments[1].segment, "INDICES");
  EXPECT_EQ(instruments[2].tradingsymbol, "M&M");

  const auto qualified = kite_token_names(instruments, true);
  EXPECT_EQ(qualified.at(256265), "NSE:NIFTY 50");
  const auto bare = kite_token_names(instruments, false);
  EXPECT_EQ(bare.at(5720322), "M&M");
}

TEST(KiteInstrumentsCsv, ColumnsFoundByName) {
  std::vector<KiteInstrument> instruments;
  std::string error;
  ASSERT_TRUE(parse_kite_instruments_csv("exchange,tradingsymbol,instrument_token\nNSE,INFY,408065\n",
                                         instruments, error))
      << error;
  ASSERT_EQ(instruments.size(), 1u);
  EXPECT_EQ(instruments[0].instrument_token, 408065u);
}

TEST(KiteInstrumentsCsv, ErrorsNameTheLine) {
  std::vector<KiteInstrument> instruments;
  std::string error;
  EXPECT_FALSE(parse_kite_instruments_csv("a,b,c\n1,2,3\n", instruments, error));
  EXPECT_EQ(error, "line 1: header lacks instrument_token, tradingsymbol or exchange");
  EXPECT_FALSE(parse_kite_instruments_csv("instrument_token,tradingsymbol,exchange\n408065,INFY\n",
                                          instruments, error));
  EXPECT_EQ(error, "line 2: expected 3 fields, found 2");
  EXPECT_FALSE(parse_kite_instruments_csv("instrument_token,tradingsymbol,exchange\nx1,INFY,NSE\n",
                                          instruments, error));
  EXPECT_EQ(error, "line 2: bad instrument_token");
  EXPECT_FALSE(parse_kite_instruments_csv("instrument_token,tradingsymbol,exchange\n1,\"INFY,NSE\n",
                                          instruments, error));
  EXPECT_EQ(error, "line 2: unterminated quoted field");
  EXPECT_FALSE(parse_kite_instruments_csv("", instruments, error));
  EXPECT_EQ(error, "no header row");
  EXPECT_TRUE(instruments.empty());
}

}  // namespace
}  // namespace tickd::core
