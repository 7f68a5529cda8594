// BinanceDecoder on hand-written frames: each kind of message, and bad input.
#include "feed/binance/binance_decoder.hpp"

#include "../recording_sink.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tickd::core {
namespace {

class BinanceDecoderTest : public ::testing::Test {
 protected:
  BinanceDecoderTest() {
    btc_ = *symbols_.intern("BTCUSDT");
    bnb_ = *symbols_.intern("BNBBTC");
  }

  DecodeResult decode(std::string_view frame) { return decoder_.decode(frame, sink_, error_); }

  SymbolTable symbols_;
  SymbolId btc_ = 0, bnb_ = 0;
  BinanceDecoder decoder_{symbols_};
  testing::RecordingSink sink_;
  DecodeError error_;
};

// Binance's documented example payloads, sent raw (no combined-stream envelope).
TEST_F(BinanceDecoderTest, RawTradePayload) {
  ASSERT_EQ(decode(R"({"e":"trade","E":123456789,"s":"BNBBTC","t":12345,"p":"0.001","q":"100",)"
                   R"("b":88,"a":50,"T":123456785,"m":true,"M":true})"),
            DecodeResult::ok);
  ASSERT_EQ(sink_.ticks.size(), 1u);
  const TickData& t = sink_.ticks[0];
  EXPECT_EQ(t.symbol, bnb_);
  EXPECT_EQ(t.time, 123456785);
  EXPECT_DOUBLE_EQ(t.price, 0.001);
  EXPECT_DOUBLE_EQ(t.quantity, 100);
  EXPECT_EQ(t.trade_id, 12345);  // "t", not the seller order id "a"
  EXPECT_EQ(t.trade_count, 1u);
  EXPECT_EQ(t.side, Side::sell);
}

TEST_F(BinanceDecoderTest, RawAggTradePayloadBuyerTaker) {
  ASSERT_EQ(decode(R"({"e":"aggTrade","E":123456789,"s":"BNBBTC","a":12345,"p":"0.001","q":"100",)"
                   R"("f":100,"l":105,"T":123456785,"m":false,"M":true})"),
            DecodeResult::ok);
  ASSERT_EQ(sink_.ticks.size(), 1u);
  EXPECT_EQ(sink_.ticks[0].trade_id, 12345);
  EXPECT_EQ(sink_.ticks[0].trade_count, 6u);
  EXPECT_EQ(sink_.ticks[0].side, Side::buy);
}

TEST_F(BinanceDecoderTest, FieldOrderDoesNotMatter) {
  ASSERT_EQ(decode(R"({"stream":"btcusdt@aggTrade","data":{"m":true,"T":5,"l":9,"f":8,"q":"2","p":"3",)"
                   R"("a":7,"s":"BTCUSDT","E":6,"e":"aggTrade"}})"),
            DecodeResult::ok);
  ASSERT_EQ(sink_.ticks.size(), 1u);
  EXPECT_EQ(sink_.ticks[0].symbol, btc_);
  EXPECT_EQ(sink_.ticks[0].time, 5);
  EXPECT_EQ(sink_.ticks[0].trade_count, 2u);
  EXPECT_DOUBLE_EQ(sink_.ticks[0].price, 3);
}

TEST_F(BinanceDecoderTest, KlineOtherIntervals) {
  ASSERT_EQ(decode(R"({"e":"kline","E":1,"s":"BTCUSDT","k":{"t":1617552000000,"T":1617573599999,)"
                   R"("s":"BTCUSDT","i":"6h","f":1,"L":2,"o":"1","c":"2","h":"3","l":"0.5","v":"10",)"
                   R"("n":2,"x":false,"q":"15","V":"0","Q":"0","B":"0"}})"),
            DecodeResult::ok);
  ASSERT_EQ(sink_.candles.size(), 1u);
  EXPECT_EQ(sink_.candles[0].interval_s, 6 * 3600);
  EXPECT_FALSE(sink_.candles[0].closed());
  EXPECT_DOUBLE_EQ(sink_.candles[0].low, 0.5);

  // A month has no fixed length: it cannot be one of our intervals.
  EXPECT_EQ(decode(R"({"e":"kline","E":1,"s":"BTCUSDT","k":{"t":1,"i":"1M","o":"1","c":"2","h":"3",)"
                   R"("l":"0.5","v":"10","n":2,"x":false,"q":"15"}})"),
            DecodeResult::error);
  EXPECT_EQ(error_.reason, "unsupported kline interval");
}

TEST_F(BinanceDecoderTest, AcksAndErrorsAreNotices) {
  EXPECT_EQ(decode(R"({"result":null,"id":1})"), DecodeResult::ok);
  EXPECT_EQ(decode(R"({"code":2,"msg":"Invalid request: unknown variant"})"), DecodeResult::ok);
  EXPECT_EQ(decode(R"({"error":{"code":2,"msg":"Invalid request"},"id":3})"), DecodeResult::ok);
  ASSERT_EQ(sink_.notices.size(), 3u);
  EXPECT_EQ(sink_.notices[0], R"({"result":null,"id":1})");
  EXPECT_TRUE(sink_.ticks.empty());
}

TEST_F(BinanceDecoderTest, NonTradeMarketDataIsIgnored) {
  EXPECT_EQ(decode(R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT"}})"),
            DecodeResult::ignored);
  EXPECT_EQ(decode(R"({"stream":"btcusdt@bookTicker","data":{"u":1,"s":"BTCUSDT","b":"1","B":"1"}})"),
            DecodeResult::ignored);
  EXPECT_EQ(decode(R"({"u":400900217,"s":"BNBUSDT","b":"25.35","B":"31.21","a":"25.36","A":"40.66"})"),
            DecodeResult::ignored);
  EXPECT_EQ(decode(R"({"stream":"btcusdt@ticker","data":{"e":"24hrTicker","E":1,"s":"BTCUSDT"}})"),
            DecodeResult::ignored);
  EXPECT_TRUE(sink_.ticks.empty());
  EXPECT_TRUE(sink_.notices.empty());
}

TEST_F(BinanceDecoderTest, UnknownSymbolIsAnErrorAndNotInterned) {
  const std::size_t before = symbols_.size();
  EXPECT_EQ(
      decode(R"({"e":"aggTrade","E":1,"s":"DOGEUSDT","a":1,"p":"1","q":"1","f":1,"l":1,"T":1,"m":true})"),
      DecodeResult::error);
  EXPECT_EQ(error_.reason, "unknown symbol");
  EXPECT_EQ(symbols_.size(), before);
  EXPECT_TRUE(sink_.ticks.empty());

  // Interned later (e.g. a reload): found from then on.
  const SymbolId doge = *symbols_.intern("DOGEUSDT");
  EXPECT_EQ(
      decode(R"({"e":"aggTrade","E":1,"s":"DOGEUSDT","a":1,"p":"1","q":"1","f":1,"l":1,"T":1,"m":true})"),
      DecodeResult::ok);
  ASSERT_EQ(sink_.ticks.size(), 1u);
  EXPECT_EQ(sink_.ticks[0].symbol, doge);
}

struct BadFrame {
  const char* frame;
  const char* reason;
};

TEST_F(BinanceDecoderTest, BadFramesAreErrorsWithAReason) {
  const BadFrame cases[] = {
      {"", "empty frame"},
      {"{not json}", "malformed JSON"},
      {R"({"u":1,"s":"BTCUSDT"]])", "malformed JSON"},
      {R"({"u":1,"s":"BTCUSDT",#E":1})", "malformed JSON"},
      {"nope", "not a JSON object"},
      {"[1,2,3]", "not a JSON object"},
      {R"({"stream":5,"data":{}})", "bad field stream"},
      {R"({"stream":"btcusdt@aggTrade","data":[]})", "bad field data"},
      {R"({"e":5})", "bad field e"},
      {R"({"e":"aggTrade","s":7})", "bad field s"},
      {R"({"e":"aggTrade","s":"BTCUSDT","a":"x","p":"1","q":"1","f":1,"l":1,"T":1,"m":true})", "bad field a"},
      {R"({"e":"aggTrade","s":"BTCUSDT","a":1,"p":"abc","q":"1","f":1,"l":1,"T":1,"m":true})", "bad field p"},
      {R"({"e":"aggTrade","s":"BTCUSDT","a":1,"p":"0","q":"1","f":1,"l":1,"T":1,"m":true})", "bad field p"},
      {R"({"e":"aggTrade","s":"BTCUSDT","a":1,"p":"1.5x","q":"1","f":1,"l":1,"T":1,"m":true})",
       "bad field p"},
      {R"({"e":"aggTrade","s":"BTCUSDT","a":1,"p":1.5,"q":"1","f":1,"l":1,"T":1,"m":true})", "bad field p"},
      {R"({"e":"aggTrade","s":"BTCUSDT","a":1,"p":"1","q":"-1","f":1,"l":1,"T":1,"m":true})", "bad field q"},
      {R"({"e":"aggTrade","s":"BTCUSDT","a":1,"p":"1","q":"1","f":5,"l":4,"T":1,"m":true})",
       "bad trade id range"},
      {R"({"e":"aggTrade","s":"BTCUSDT","a":1,"p":"1","q":"1","f":1,"l":1,"m":true})", "bad field T"},
      {R"({"e":"aggTrade","s":"BTCUSDT","a":1,"p":"1","q":"1","f":1,"l":1,"T":1,"m":"yes"})", "bad field m"},
      {R"({"e":"trade","s":"BTCUSDT","p":"1","q":"1","T":1,"m":true})", "bad field t"},
      {R"({"e":"kline","s":"BTCUSDT","k":5})", "bad field k"},
      {R"({"e":"kline","s":"BTCUSDT","k":{"t":1,"i":"1m","o":"1","c":"1","h":"1","l":"1","v":"1","n":-1}})",
       "bad field k.n"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.frame);
    error_.reason = {};
    EXPECT_EQ(decode(c.frame), DecodeResult::error);
    EXPECT_EQ(error_.reason, c.reason);
  }
  EXPECT_TRUE(sink_.ticks.empty());
  EXPECT_TRUE(sink_.candles.empty());
}

TEST_F(BinanceDecoderTest, OversizedFrameIsRejectedUnparsed) {
  std::string frame = R"({"e":"aggTrade","pad":")";
  frame.append(BinanceDecoder::kMaxFrameBytes, 'x');
  frame += R"("})";
  EXPECT_EQ(decode(frame), DecodeResult::error);
  EXPECT_EQ(error_.reason, "frame too large");
}

// A frame bigger than the initial buffer grows it once and still decodes.
TEST_F(BinanceDecoderTest, LargeValidFrameDecodes) {
  std::string frame = R"({"e":"aggTrade","pad":")";
  frame.append(200 * 1024, 'x');
  frame += R"(","s":"BTCUSDT","a":1,"p":"2","q":"3","f":1,"l":1,"T":4,"m":false})";
  ASSERT_EQ(decode(frame), DecodeResult::ok) << error_.reason;
  ASSERT_EQ(sink_.ticks.size(), 1u);
  EXPECT_EQ(sink_.ticks[0].time, 4);
}

// Every prefix of a valid frame: never a crash, never a different tick.
TEST_F(BinanceDecoderTest, TruncatedFramesNeverYieldWrongValues) {
  const std::string frame =
      R"({"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1617566591315,"s":"BTCUSDT",)"
      R"("a":665076760,"p":"58001.03000000","q":"0.08620500","f":745522877,"l":745522877,)"
      R"("T":1617566591314,"m":true,"M":true}})";
  for (std::size_t n = 0; n < frame.size(); ++n) {
    sink_.clear();
    const auto result = decode(std::string_view(frame).substr(0, n));
    EXPECT_NE(result, DecodeResult::ignored) << n;
    if (result == DecodeResult::ok) {
      ASSERT_EQ(sink_.ticks.size(), 1u) << n;
      EXPECT_DOUBLE_EQ(sink_.ticks[0].price, 58001.03) << n;
      EXPECT_EQ(sink_.ticks[0].time, 1617566591314) << n;
    } else {
      EXPECT_TRUE(sink_.ticks.empty()) << n;
    }
  }
}

}  // namespace
}  // namespace tickd::core
