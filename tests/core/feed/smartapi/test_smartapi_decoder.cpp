// SmartApiDecoder: tick derivation per mode, instrument lookup, text frames.
#include "feed/smartapi/smartapi_decoder.hpp"

#include "../recording_sink.hpp"
#include "smartapi_encoder.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr SymbolId kReliance = 4;
constexpr SymbolId kNiftyFuture = 5;

class SmartApiDecoderTest : public ::testing::Test {
 protected:
  DecodeResult decode(const Bytes& packet) {
    return decoder_.decode_binary(packet.data(), packet.size(), sink_, error_);
  }

  SmartApiDecoder decoder_{{{smartapi_exchange::nse_cm, "2885", kReliance, 0},
                            {smartapi_exchange::nse_fo, "2885", kNiftyFuture, 0}}};
  testing::RecordingSink sink_;
  DecodeError error_;
};

TEST_F(SmartApiDecoderTest, FirstSnapQuoteIsATickOfTheLastTrade) {
  ASSERT_EQ(decode(testing::encode_smartapi_packet(testing::reliance_snap_quote())), DecodeResult::ok)
      << error_.reason;
  ASSERT_EQ(sink_.ticks.size(), 1u);
  const TickData& t = sink_.ticks[0];
  EXPECT_EQ(t.symbol, kReliance);
  EXPECT_EQ(t.time, 1700462701000);
  EXPECT_DOUBLE_EQ(t.price, 2335.25);
  EXPECT_DOUBLE_EQ(t.quantity, 12);
  EXPECT_EQ(t.trade_id, -1);
  EXPECT_EQ(t.trade_count, 1u);
  EXPECT_EQ(t.side, Side::unknown);
}

TEST_F(SmartApiDecoderTest, QuoteTicksOnVolumeGrowth) {
  auto spec = testing::reliance_snap_quote();
  spec.mode = 2;
  ASSERT_EQ(decode(testing::encode_smartapi_packet(spec)), DecodeResult::ok);
  spec.exchange_timestamp += 1000;
  ASSERT_EQ(decode(testing::encode_smartapi_packet(spec)), DecodeResult::ok);  // same volume
  EXPECT_EQ(sink_.ticks.size(), 1u);
  spec.volume += 150;
  spec.ltp = 233600;
  spec.exchange_timestamp += 1000;
  ASSERT_EQ(decode(testing::encode_smartapi_packet(spec)), DecodeResult::ok);
  ASSERT_EQ(sink_.ticks.size(), 2u);
  EXPECT_DOUBLE_EQ(sink_.ticks[1].quantity, 150);
  EXPECT_DOUBLE_EQ(sink_.ticks[1].price, 2336.0);
  EXPECT_EQ(sink_.ticks[1].time, 1700462703000);

  spec.volume = 10;  // next session
  ASSERT_EQ(decode(testing::encode_smartapi_packet(spec)), DecodeResult::ok);
  ASSERT_EQ(sink_.ticks.size(), 3u);
  EXPECT_DOUBLE_EQ(sink_.ticks[2].quantity, 10);

  decoder_.reset();
  spec.volume = 20;
  ASSERT_EQ(decode(testing::encode_smartapi_packet(spec)), DecodeResult::ok);
  ASSERT_EQ(sink_.ticks.size(), 4u);
  EXPECT_DOUBLE_EQ(sink_.ticks[3].quantity, 12);  // first after reset: last traded qty
}

TEST_F(SmartApiDecoderTest, LtpIsAlwaysATickWithoutQuantity) {
  testing::SmartApiPacketSpec spec;
  spec.exchange_type = smartapi_exchange::nse_fo;
  spec.exchange_timestamp = 1700462701000;
  spec.ltp = 1999995;
  ASSERT_EQ(decode(testing::encode_smartapi_packet(spec)), DecodeResult::ok);
  ASSERT_EQ(decode(testing::encode_smartapi_packet(spec)), DecodeResult::ok);
  ASSERT_EQ(sink_.ticks.size(), 2u);
  EXPECT_EQ(sink_.ticks[0].symbol, kNiftyFuture);  // same token, other exchange type
  EXPECT_DOUBLE_EQ(sink_.ticks[0].quantity, 0);
  EXPECT_DOUBLE_EQ(sink_.ticks[0].price, 19999.95);
}

TEST_F(SmartApiDecoderTest, InstrumentDivisorOverride) {
  SmartApiDecoder decoder({{smartapi_exchange::mcx_fo, "234230", 8, 10000.0}});
  testing::SmartApiPacketSpec spec;
  spec.exchange_type = smartapi_exchange::mcx_fo;
  spec.token = "234230";
  spec.exchange_timestamp = 1;
  spec.ltp = 6543210;
  const Bytes packet = testing::encode_smartapi_packet(spec);
  ASSERT_EQ(decoder.decode_binary(packet.data(), packet.size(), sink_, error_), DecodeResult::ok);
  ASSERT_EQ(sink_.ticks.size(), 1u);
  EXPECT_DOUBLE_EQ(sink_.ticks[0].price, 654.321);
}

TEST_F(SmartApiDecoderTest, Errors) {
  auto spec = testing::reliance_snap_quote();
  spec.token = "99926000";
  EXPECT_EQ(decode(testing::encode_smartapi_packet(spec)), DecodeResult::error);
  EXPECT_EQ(error_.reason, "unknown instrument token");

  spec = testing::reliance_snap_quote();
  spec.exchange_timestamp = 0;
  EXPECT_EQ(decode(testing::encode_smartapi_packet(spec)), DecodeResult::error);
  EXPECT_EQ(error_.reason, "bad exchange timestamp");

  spec = testing::reliance_snap_quote();
  spec.volume = -5;
  EXPECT_EQ(decode(testing::encode_smartapi_packet(spec)), DecodeResult::error);
  EXPECT_EQ(error_.reason, "negative volume");

  EXPECT_EQ(decode(Bytes(4096, 3)), DecodeResult::error);
  EXPECT_EQ(error_.reason, "packet too large");
  EXPECT_EQ(decode(Bytes{1, 1, '2'}), DecodeResult::error);
  EXPECT_EQ(error_.reason, "packet too short");
  EXPECT_EQ(decode(Bytes(51, 0xff)), DecodeResult::error);
  EXPECT_EQ(error_.reason, "bad subscription mode");
  EXPECT_TRUE(sink_.ticks.empty());
}

TEST_F(SmartApiDecoderTest, TextFrames) {
  EXPECT_EQ(decoder_.decode_text("pong", sink_, error_), DecodeResult::ignored);
  const std::string err =
      R"({"correlationID":"tickd00001","errorCode":"E1002","errorMessage":"Subscription Limit Exceeded"})";
  EXPECT_EQ(decoder_.decode_text(err, sink_, error_), DecodeResult::ok);
  ASSERT_EQ(sink_.notices.size(), 1u);
  EXPECT_EQ(sink_.notices[0], err);
}

}  // namespace
}  // namespace tickd::core
