// REST klines: request path and response parsing.
#include "feed/binance/binance_interval.hpp"
#include "feed/binance/binance_rest.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

TEST(BinanceKlinesPath, AllParameters) {
  EXPECT_EQ(
      binance_klines_path("btcusdt", "1m", 1617566580000, 1000, 1617566639999),
      "/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=1617566580000&endTime=1617566639999&limit=1000");
}

TEST(BinanceKlinesPath, OptionalTimesAndClampedLimit) {
  EXPECT_EQ(binance_klines_path("ETHUSDT", "5m", -1, 5000),
            "/api/v3/klines?symbol=ETHUSDT&interval=5m&limit=1000");
  EXPECT_EQ(binance_klines_path("ETHUSDT", "1h", 7, 0),
            "/api/v3/klines?symbol=ETHUSDT&interval=1h&startTime=7&limit=1");
}

TEST(BinanceKlinesPath, HostileInputIsEncoded) {
  EXPECT_EQ(binance_klines_path("A&b=c d", "1m\r\n", -1, 10),
            "/api/v3/klines?symbol=A%26B%3DC%20D&interval=1m%0D%0A&limit=10");
}

// The shape Binance documents for GET /api/v3/klines; the second kline is
// still in progress at now_ms.
constexpr const char* kBody =
    R"([[1617566580000,"57994.60000000","58018.03000000","57974.41000000","57999.99000000","23.06712200",)"
    R"(1617566639999,"1337913.58654308",1020,"11.41334700","661954.86510045","0"],)"
    R"([1617566640000,"58000.00000000","58010.00000000","57990.00000000","58005.00000000","1.50000000",)"
    R"(1617566699999,"87007.50000000",12,"0.75000000","43503.75000000","0"]])";

TEST(BinanceKlinesParse, FieldsAndClosedFlag) {
  std::vector<CandleData> candles;
  std::string error;
  ASSERT_TRUE(parse_binance_klines(kBody, 7, 60, 1617566650000, candles, error)) << error;
  ASSERT_EQ(candles.size(), 2u);
  const CandleData& c = candles[0];
  EXPECT_EQ(c.symbol, 7u);
  EXPECT_EQ(c.interval_s, 60);
  EXPECT_EQ(c.open_time, 1617566580000);
  EXPECT_DOUBLE_EQ(c.open, 57994.6);
  EXPECT_DOUBLE_EQ(c.high, 58018.03);
  EXPECT_DOUBLE_EQ(c.low, 57974.41);
  EXPECT_DOUBLE_EQ(c.close, 57999.99);
  EXPECT_DOUBLE_EQ(c.volume, 23.067122);
  EXPECT_DOUBLE_EQ(c.quote_volume, 1337913.58654308);
  EXPECT_EQ(c.trade_count, 1020u);
  EXPECT_TRUE(c.closed());
  EXPECT_FALSE(candles[1].closed());
  EXPECT_EQ(candles[1].trade_count, 12u);
}

TEST(BinanceKlinesParse, EmptyArrayIsNoCandles) {
  std::vector<CandleData> candles;
  std::string error;
  EXPECT_TRUE(parse_binance_klines("[]", 1, 60, 0, candles, error));
  EXPECT_TRUE(candles.empty());
}

TEST(BinanceKlinesParse, ErrorsLeaveOutputUnchanged) {
  std::vector<CandleData> candles(1);
  std::string error;
  EXPECT_FALSE(parse_binance_klines(R"({"code":-1121,"msg":"Invalid symbol."})", 1, 60, 0, candles, error));
  EXPECT_EQ(error, "klines: Binance error -1121: Invalid symbol.");
  EXPECT_FALSE(parse_binance_klines("[[1,\"1\",\"1\",\"1\",\"1\",\"1\",2,\"1\",3],[1,\"x\"]]", 1, 60, 0,
                                    candles, error));
  EXPECT_EQ(error, "klines: element 1: bad price");
  EXPECT_FALSE(
      parse_binance_klines("[[1,\"1\",\"1\",\"1\",\"1\",\"1\",0,\"1\",3]]", 1, 60, 0, candles, error));
  EXPECT_EQ(error, "klines: element 0: bad close time");
  EXPECT_FALSE(parse_binance_klines("[[1,\"1\",\"1\"", 1, 60, 0, candles, error));
  EXPECT_FALSE(parse_binance_klines("", 1, 60, 0, candles, error));
  EXPECT_FALSE(parse_binance_klines("[5]", 1, 60, 0, candles, error));
  EXPECT_EQ(error, "klines: element 0: not an array");
  EXPECT_EQ(candles.size(), 1u);
}

// Found by fuzz_binance_decoder: an object that breaks down after its first
// field once made the error description use a dead simdjson iterator.
TEST(BinanceKlinesParse, MalformedErrorObject) {
  std::vector<CandleData> candles;
  std::string error;
  EXPECT_FALSE(parse_binance_klines(R"({"stream":"a","data":{"e":"x","data":{"u":3}}pth",#E":1,"s":"A"})", 1,
                                    60, 0, candles, error));
  EXPECT_FALSE(parse_binance_klines(R"({"code":-1121,"msg":)", 1, 60, 0, candles, error));
  EXPECT_FALSE(parse_binance_klines(R"({"code":x,"msg":"y"})", 1, 60, 0, candles, error));
  EXPECT_TRUE(candles.empty());
}

TEST(BinanceInterval, KnownNames) {
  EXPECT_EQ(binance_interval_seconds("1s"), 1);
  EXPECT_EQ(binance_interval_seconds("1m"), 60);
  EXPECT_EQ(binance_interval_seconds("12h"), 43200);
  EXPECT_EQ(binance_interval_seconds("3d"), 259200);
  EXPECT_EQ(binance_interval_seconds("1w"), 604800);
  EXPECT_FALSE(binance_interval_seconds("1M"));
  EXPECT_FALSE(binance_interval_seconds("2m"));
  EXPECT_FALSE(binance_interval_seconds(""));
}

}  // namespace
}  // namespace tickd::core
