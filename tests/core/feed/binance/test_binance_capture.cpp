// BinanceDecoder on the real frames recorded from Binance (spot and USD-M futures).
#include "feed/binance/binance_decoder.hpp"

#include "../recording_sink.hpp"
#include "binance_capture.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tickd::core {
namespace {

const std::string kCaptureDir = std::string(TICKD_DATA_DIR) + "/binance-ws-2021/";

struct CaptureCounts {
  const char* file;
  std::size_t agg_trades;
  std::size_t klines;
  std::size_t closed_klines;
};

class BinanceCaptureTest : public ::testing::TestWithParam<CaptureCounts> {};

TEST_P(BinanceCaptureTest, EveryFrameDecodesWithTheReadmeCounts) {
  const CaptureCounts expected = GetParam();
  const auto capture = testing::read_binance_capture(kCaptureDir + expected.file);
  ASSERT_FALSE(capture.frames.empty());
  SymbolTable symbols;
  for (const auto& symbol : capture.symbols) symbols.intern(symbol);
  BinanceDecoder decoder(symbols);
  testing::RecordingSink sink;
  std::size_t ignored = 0;
  for (const auto& frame : capture.frames) {
    DecodeError error;
    const auto result = decoder.decode(frame, sink, error);
    ASSERT_NE(result, DecodeResult::error) << error.reason << "\n" << frame;
    if (result == DecodeResult::ignored) ++ignored;
  }
  std::size_t closed = 0;
  for (const auto& candle : sink.candles) closed += candle.closed() ? 1 : 0;
  EXPECT_EQ(sink.ticks.size(), expected.agg_trades);
  EXPECT_EQ(sink.candles.size(), expected.klines);
  EXPECT_EQ(closed, expected.closed_klines);
  EXPECT_EQ(ignored + sink.ticks.size() + sink.candles.size(), capture.frames.size());
  EXPECT_TRUE(sink.notices.empty());
}

INSTANTIATE_TEST_SUITE_P(RecordedCaptures, BinanceCaptureTest,
                         ::testing::Values(CaptureCounts{"spot-btc-eth-dot-2021-04-04.log", 1910, 118, 3},
                                           CaptureCounts{"spot-10-symbols-2021-04-05.log", 1240, 0, 0},
                                           CaptureCounts{"usdm-futures-2021-07-22.log", 91, 67, 4}));

// Frames picked by hand from the captures, every field checked.
class BinanceRecordedFrameTest : public ::testing::Test {
 protected:
  testing::RecordingSink decode(std::string_view frame) {
    testing::RecordingSink sink;
    DecodeError error;
    EXPECT_EQ(decoder_.decode(frame, sink, error), DecodeResult::ok) << error.reason;
    return sink;
  }
  SymbolId id(std::string_view name) { return *symbols_.intern(name); }

  SymbolTable symbols_;
  BinanceDecoder decoder_{symbols_};
};

TEST_F(BinanceRecordedFrameTest, SpotAggTradeSoldIntoBid) {
  const SymbolId btc = id("BTCUSDT");
  // spot-btc-eth-dot-2021-04-04.log, received 1617566592.629139
  const auto sink = decode(
      R"({"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1617566591315,"s":"BTCUSDT","a":665076760,)"
      R"("p":"58001.03000000","q":"0.08620500","f":745522877,"l":745522877,"T":1617566591314,"m":true,"M":true}})");
  ASSERT_EQ(sink.ticks.size(), 1u);
  const TickData& t = sink.ticks[0];
  EXPECT_EQ(t.symbol, btc);
  EXPECT_EQ(t.time, 1617566591314);
  EXPECT_DOUBLE_EQ(t.price, 58001.03);
  EXPECT_DOUBLE_EQ(t.quantity, 0.086205);
  EXPECT_EQ(t.trade_id, 665076760);
  EXPECT_EQ(t.trade_count, 1u);
  EXPECT_EQ(t.side, Side::sell);
}

TEST_F(BinanceRecordedFrameTest, SpotAggTradeOfTenTradesBoughtFromAsk) {
  const SymbolId dent = id("DENTUSDT");
  // spot-10-symbols-2021-04-05.log, received 1617647611.916171
  const auto sink = decode(
      R"({"stream":"dentusdt@aggTrade","data":{"e":"aggTrade","E":1617647611925,"s":"DENTUSDT","a":12692481,)"
      R"("p":"0.02099660","q":"23837.00000000","f":16197020,"l":16197029,"T":1617647611923,"m":false,"M":true}})");
  ASSERT_EQ(sink.ticks.size(), 1u);
  const TickData& t = sink.ticks[0];
  EXPECT_EQ(t.symbol, dent);
  EXPECT_EQ(t.time, 1617647611923);
  EXPECT_DOUBLE_EQ(t.price, 0.0209966);
  EXPECT_DOUBLE_EQ(t.quantity, 23837);
  EXPECT_EQ(t.trade_id, 12692481);
  EXPECT_EQ(t.trade_count, 10u);
  EXPECT_EQ(t.side, Side::buy);
}

TEST_F(BinanceRecordedFrameTest, FuturesAggTradeWithIdBeforeSymbol) {
  const SymbolId ctk = id("CTKUSDT");
  // usdm-futures-2021-07-22.log, received 1626992742.289739 (futures put "a" before "s")
  const auto sink = decode(
      R"({"stream":"ctkusdt@aggTrade","data":{"e":"aggTrade","E":1626992741575,"a":16599292,"s":"CTKUSDT",)"
      R"("p":"1.01100","q":"10","f":23961322,"l":23961322,"T":1626992741421,"m":false}})");
  ASSERT_EQ(sink.ticks.size(), 1u);
  const TickData& t = sink.ticks[0];
  EXPECT_EQ(t.symbol, ctk);
  EXPECT_EQ(t.time, 1626992741421);
  EXPECT_DOUBLE_EQ(t.price, 1.011);
  EXPECT_DOUBLE_EQ(t.quantity, 10);
  EXPECT_EQ(t.trade_id, 16599292);
  EXPECT_EQ(t.trade_count, 1u);
  EXPECT_EQ(t.side, Side::buy);
}

TEST_F(BinanceRecordedFrameTest, SpotClosedKline) {
  const SymbolId btc = id("BTCUSDT");
  // spot-btc-eth-dot-2021-04-04.log, received 1617566640.087709
  const auto sink =
      decode(R"({"stream":"btcusdt@kline_1m","data":{"e":"kline","E":1617566640068,"s":"BTCUSDT","k":{)"
             R"("t":1617566580000,"T":1617566639999,"s":"BTCUSDT","i":"1m","f":745522651,"L":745523670,)"
             R"("o":"57994.60000000","c":"57999.99000000","h":"58018.03000000","l":"57974.41000000",)"
             R"("v":"23.06712200","n":1020,"x":true,"q":"1337913.58654308","V":"11.41334700",)"
             R"("Q":"661954.86510045","B":"0"}}})");
  ASSERT_EQ(sink.candles.size(), 1u);
  const CandleData& c = sink.candles[0];
  EXPECT_EQ(c.symbol, btc);
  EXPECT_EQ(c.interval_s, 60);
  EXPECT_EQ(c.open_time, 1617566580000);
  EXPECT_DOUBLE_EQ(c.open, 57994.6);
  EXPECT_DOUBLE_EQ(c.high, 58018.03);
  EXPECT_DOUBLE_EQ(c.low, 57974.41);
  EXPECT_DOUBLE_EQ(c.close, 57999.99);
  EXPECT_DOUBLE_EQ(c.volume, 23.067122);
  EXPECT_DOUBLE_EQ(c.quote_volume, 1337913.58654308);
  EXPECT_EQ(c.trade_count, 1020u);
  EXPECT_EQ(c.flags, TICKD_CANDLE_CLOSED);
}

TEST_F(BinanceRecordedFrameTest, FuturesOpenKline) {
  const SymbolId ctk = id("CTKUSDT");
  // usdm-futures-2021-07-22.log, received 1626992742.2895691
  const auto sink =
      decode(R"({"stream":"ctkusdt@kline_1m","data":{"e":"kline","E":1626992741424,"s":"CTKUSDT","k":{)"
             R"("t":1626992700000,"T":1626992759999,"s":"CTKUSDT","i":"1m","f":23961275,"L":23961322,)"
             R"("o":"1.01000","c":"1.01100","h":"1.01100","l":"1.01000","v":"3917","n":48,"x":false,)"
             R"("q":"3957.89900","V":"1729","Q":"1748.01900","B":"0"}}})");
  ASSERT_EQ(sink.candles.size(), 1u);
  const CandleData& c = sink.candles[0];
  EXPECT_EQ(c.symbol, ctk);
  EXPECT_EQ(c.open_time, 1626992700000);
  EXPECT_DOUBLE_EQ(c.open, 1.01);
  EXPECT_DOUBLE_EQ(c.high, 1.011);
  EXPECT_DOUBLE_EQ(c.low, 1.01);
  EXPECT_DOUBLE_EQ(c.close, 1.011);
  EXPECT_DOUBLE_EQ(c.volume, 3917);
  EXPECT_DOUBLE_EQ(c.quote_volume, 3957.899);
  EXPECT_EQ(c.trade_count, 48u);
  EXPECT_EQ(c.flags, 0u);
}

}  // namespace
}  // namespace tickd::core
