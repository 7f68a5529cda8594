#include "feed/replay/trade_csv.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

ParsedTrade parse_ok(std::string_view line, TradeCsvFormat format) {
  ParsedTrade out;
  std::string_view error;
  EXPECT_TRUE(parse_trade_csv_line(line, format, out, error)) << line << ": " << error;
  return out;
}

std::string_view parse_error(std::string_view line, TradeCsvFormat format) {
  ParsedTrade out;
  std::string_view error;
  EXPECT_FALSE(parse_trade_csv_line(line, format, out, error)) << line;
  EXPECT_FALSE(error.empty());
  return error;
}

TEST(TradeCsv, BinanceAggTradeRow) {
  const auto t = parse_ok("13519810,0.00141379,581.00000000,15373521,15373523,1570752028907,False,True",
                          TradeCsvFormat::binance_aggtrades);
  EXPECT_EQ(t.trade_id, 13519810);
  EXPECT_EQ(t.price, 0.00141379);
  EXPECT_EQ(t.quantity, 581.0);
  EXPECT_EQ(t.trade_count, 3u);
  EXPECT_EQ(t.time, 1570752028907);
  EXPECT_EQ(t.side, Side::buy);
  EXPECT_TRUE(t.symbol.empty());
}

TEST(TradeCsv, BinanceAggTradeWithoutBestMatchLowercaseAndCrlf) {
  const auto t = parse_ok("1,2.5,3,10,10,1570752011620,true\r", TradeCsvFormat::binance_aggtrades);
  EXPECT_EQ(t.side, Side::sell);
  EXPECT_EQ(t.trade_count, 1u);
  EXPECT_EQ(t.price, 2.5);
}

TEST(TradeCsv, MicrosecondTimestampsBecomeMilliseconds) {
  const auto t = parse_ok("1,2.5,3,10,10,1735689600123456,false,true", TradeCsvFormat::binance_aggtrades);
  EXPECT_EQ(t.time, 1735689600123);
}

TEST(TradeCsv, BinanceTradeRow) {
  const auto t = parse_ok("15373518,0.00141342,23.00000000,0.03250866,1570752011620,True,True",
                          TradeCsvFormat::binance_trades);
  EXPECT_EQ(t.trade_id, 15373518);
  EXPECT_EQ(t.price, 0.00141342);
  EXPECT_EQ(t.quantity, 23.0);
  EXPECT_EQ(t.time, 1570752011620);
  EXPECT_EQ(t.trade_count, 1u);
  EXPECT_EQ(t.side, Side::sell);
  // USD-M futures dumps have no is_best_match column.
  EXPECT_EQ(parse_ok("7,1,2,2,1000,false", TradeCsvFormat::binance_trades).side, Side::buy);
}

TEST(TradeCsv, GenericRow) {
  const std::string line = "1617580800123,BTCUSDT,58000.5,0.25";
  const auto t = parse_ok(line, TradeCsvFormat::generic);
  EXPECT_EQ(t.time, 1617580800123);
  EXPECT_EQ(t.symbol, "BTCUSDT");
  EXPECT_EQ(t.symbol.data(), line.data() + 14);  // a view into the line, not a copy
  EXPECT_EQ(t.price, 58000.5);
  EXPECT_EQ(t.quantity, 0.25);
  EXPECT_EQ(t.trade_id, -1);
  EXPECT_EQ(t.side, Side::unknown);
}

TEST(TradeCsv, HeaderDetection) {
  EXPECT_TRUE(is_trade_csv_header(
      "agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match"));
  EXPECT_TRUE(is_trade_csv_header("time,symbol,price,qty"));
  EXPECT_FALSE(
      is_trade_csv_header("13519807,0.00141342,23.00000000,15373518,15373518,1570752011620,True,True"));
  EXPECT_FALSE(is_trade_csv_header(""));
  EXPECT_EQ(parse_error("time,symbol,price,qty", TradeCsvFormat::generic), "bad time");
}

TEST(TradeCsv, MalformedRowsSayWhy) {
  using F = TradeCsvFormat;
  EXPECT_EQ(parse_error("", F::generic), "empty line");
  EXPECT_EQ(parse_error("\r", F::generic), "empty line");
  EXPECT_EQ(parse_error("1,2,3", F::binance_aggtrades), "expected 7 or 8 fields");
  EXPECT_EQ(parse_error("1,2,3,4,5,6,7,8,9", F::binance_aggtrades), "too many fields");
  EXPECT_EQ(parse_error("x,1,1,1,1,1,true", F::binance_aggtrades), "bad agg_trade_id");
  EXPECT_EQ(parse_error("1,abc,1,1,1,1,true", F::binance_aggtrades), "bad price");
  EXPECT_EQ(parse_error("1,0,1,1,1,1,true", F::binance_aggtrades), "bad price");
  EXPECT_EQ(parse_error("1,-2,1,1,1,1,true", F::binance_aggtrades), "bad price");
  EXPECT_EQ(parse_error("1,nan,1,1,1,1,true", F::binance_aggtrades), "bad price");
  EXPECT_EQ(parse_error("1,2,-1,1,1,1,true", F::binance_aggtrades), "bad quantity");
  EXPECT_EQ(parse_error("1,2,1 ,1,1,1,true", F::binance_aggtrades), "bad quantity");
  EXPECT_EQ(parse_error("1,2,1,5,4,1,true", F::binance_aggtrades), "bad trade id range");
  EXPECT_EQ(parse_error("1,2,1,1,1,,true", F::binance_aggtrades), "bad transact_time");
  EXPECT_EQ(parse_error("1,2,1,1,1,-5,true", F::binance_aggtrades), "bad transact_time");
  EXPECT_EQ(parse_error("1,2,1,1,1,1,yes", F::binance_aggtrades), "bad is_buyer_maker");
  EXPECT_EQ(parse_error("1,2,1,1,1,1,true,maybe", F::binance_aggtrades), "bad is_best_match");
  EXPECT_EQ(parse_error("1,2,1,q,1000,false", F::binance_trades), "bad quote_qty");
  EXPECT_EQ(parse_error("1,2,1,2,1000", F::binance_trades), "expected 6 or 7 fields");
  EXPECT_EQ(parse_error("1000,,2,1", F::generic), "empty symbol");
  EXPECT_EQ(parse_error("1000,BTC,2", F::generic), "expected 4 fields (time,symbol,price,qty)");
  EXPECT_EQ(parse_error("1000.5,BTC,2,1", F::generic), "bad time");
}

TEST(TradeCsv, FormatNames) {
  EXPECT_EQ(parse_trade_csv_format("binance_aggtrades"), TradeCsvFormat::binance_aggtrades);
  EXPECT_EQ(parse_trade_csv_format("binance_trades"), TradeCsvFormat::binance_trades);
  EXPECT_EQ(parse_trade_csv_format("generic"), TradeCsvFormat::generic);
  EXPECT_FALSE(parse_trade_csv_format("csv").has_value());
}

}  // namespace
}  // namespace tickd::core
