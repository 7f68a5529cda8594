// NatsMessageDecoder: wire payloads to candles and ticks; wrong kinds,
// malformed JSON, other versions and unwanted symbols are told apart.
#include "feed/nats/nats_message_decoder.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

std::string candle_json(bool closed, const char* symbol = "XRPETH") {
  Candle c;
  c.symbol = symbol;
  c.interval = *Interval::parse("5m");
  c.open_time = 1570798800000;
  c.open = 0.001234;
  c.high = 0.0012345678901;
  c.low = 0.0012;
  c.close = 0.00123;
  c.volume = 1234.5;
  c.quote_volume = 1.52;
  c.vwap = c.quote_volume / c.volume;
  c.trade_count = 17;
  c.closed = closed;
  c.partial = true;
  std::string out;
  wire::append(out, c);
  return out;
}

TEST(NatsMessageDecoder, CandlesKeepEveryFieldExactly) {
  SymbolTable table;
  NatsMessageDecoder d(table, {"*"});
  CandleData c;
  std::string error;
  ASSERT_EQ(d.candle(candle_json(true), true, c, error), NatsMessageDecoder::Result::ok) << error;
  EXPECT_EQ(table.name(c.symbol), "XRPETH");
  EXPECT_EQ(c.interval_s, 300);
  EXPECT_EQ(c.open_time, 1570798800000);
  EXPECT_EQ(c.high, 0.0012345678901);
  EXPECT_EQ(c.volume, 1234.5);
  EXPECT_EQ(c.trade_count, 17u);
  EXPECT_EQ(c.flags, TICKD_CANDLE_CLOSED | TICKD_CANDLE_PARTIAL);
}

TEST(NatsMessageDecoder, WrongKindMalformedAndOtherVersionsAreErrors) {
  SymbolTable table;
  NatsMessageDecoder d(table, {"*"});
  CandleData c;
  std::string error;
  EXPECT_EQ(d.candle(candle_json(false), true, c, error), NatsMessageDecoder::Result::error);
  EXPECT_EQ(d.candle(candle_json(true), false, c, error), NatsMessageDecoder::Result::error);
  EXPECT_EQ(d.candle("{\"v\":1,\"type\":", true, c, error), NatsMessageDecoder::Result::error);
  std::string v2 = candle_json(true);
  v2.replace(v2.find("\"v\":1"), 5, "\"v\":2");
  EXPECT_EQ(d.candle(v2, true, c, error), NatsMessageDecoder::Result::error);
  EXPECT_NE(error.find("version"), std::string::npos) << error;
  TickData t;
  EXPECT_EQ(d.tick(candle_json(true), t, error), NatsMessageDecoder::Result::error);
}

TEST(NatsMessageDecoder, OnlyTheConfiguredSymbolsAreWanted) {
  SymbolTable table;
  NatsMessageDecoder d(table, {"BTCUSDT"});
  CandleData c;
  std::string error;
  EXPECT_EQ(d.candle(candle_json(true), true, c, error), NatsMessageDecoder::Result::unwanted);
  EXPECT_EQ(d.candle(candle_json(true, "BTCUSDT"), true, c, error), NatsMessageDecoder::Result::ok);
  EXPECT_FALSE(table.find("XRPETH"));
}

}  // namespace
}  // namespace tickd::core
