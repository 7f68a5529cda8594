// KiteDecoder: framing, tick derivation, bad frames.
#include "feed/kite/kite_decoder.hpp"

#include "../recording_sink.hpp"
#include "kite_test_data.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

using testing::Bytes;

constexpr std::uint32_t kInfy = 408065;
constexpr SymbolId kInfySymbol = 3;
constexpr TimeMs kNow = 1625461900000;
constexpr TimeMs kRecordedTradeTimeMs = 1625461887000;
constexpr std::size_t kVolumeOffset = 16;
constexpr std::size_t kLastTradeTimeOffset = 44;

class KiteDecoderTest : public ::testing::Test {
 protected:
  DecodeResult decode(const Bytes& frame) {
    return decoder_.decode_binary(frame.data(), frame.size(), kNow, sink_, error_);
  }

  KiteDecoder decoder_{{{kInfy, kInfySymbol}}};
  testing::RecordingSink sink_;
  DecodeError error_;
  const Bytes full_ = testing::kite_recorded_packet("ticker_full.packet");
  const Bytes quote_ = testing::kite_recorded_packet("ticker_quote.packet");
};

TEST_F(KiteDecoderTest, FirstFullPacketIsATickOfItsLastTrade) {
  ASSERT_EQ(decode(testing::kite_frame({full_})), DecodeResult::ok) << error_.reason;
  ASSERT_EQ(sink_.ticks.size(), 1u);
  const TickData& t = sink_.ticks[0];
  EXPECT_EQ(t.symbol, kInfySymbol);
  EXPECT_EQ(t.time, kRecordedTradeTimeMs);
  EXPECT_DOUBLE_EQ(t.price, 1573.7);
  EXPECT_DOUBLE_EQ(t.quantity, 7);  // last traded quantity: no earlier volume to compare with
  EXPECT_EQ(t.trade_id, -1);
  EXPECT_EQ(t.trade_count, 1u);
  EXPECT_EQ(t.side, Side::unknown);
}

TEST_F(KiteDecoderTest, LaterPacketsTickOnlyWhenVolumeGrows) {
  ASSERT_EQ(decode(testing::kite_frame({full_})), DecodeResult::ok);
  ASSERT_EQ(decode(testing::kite_frame({full_})), DecodeResult::ok);  // same volume: no trade
  EXPECT_EQ(sink_.ticks.size(), 1u);

  Bytes later = full_;
  testing::set_be32(later, kVolumeOffset, 1192471 + 25);
  testing::set_be32(later, kLastTradeTimeOffset, 1625461890);
  ASSERT_EQ(decode(testing::kite_frame({later})), DecodeResult::ok);
  ASSERT_EQ(sink_.ticks.size(), 2u);
  EXPECT_DOUBLE_EQ(sink_.ticks[1].quantity, 25);  // the volume growth, not the last trade's 7
  EXPECT_EQ(sink_.ticks[1].time, 1625461890000);
}

TEST_F(KiteDecoderTest, QuotePacketHasNoTimeSoUsesNow) {
  Bytes first = quote_;
  ASSERT_EQ(decode(testing::kite_frame({first})), DecodeResult::ok);
  ASSERT_EQ(sink_.ticks.size(), 1u);
  EXPECT_EQ(sink_.ticks[0].time, kNow);
  EXPECT_DOUBLE_EQ(sink_.ticks[0].price, 1573.15);
  EXPECT_DOUBLE_EQ(sink_.ticks[0].quantity, 1);

  // The recorded full packet is later in the day: 1192471 - 1175986 traded in between.
  ASSERT_EQ(decode(testing::kite_frame({full_})), DecodeResult::ok);
  ASSERT_EQ(sink_.ticks.size(), 2u);
  EXPECT_DOUBLE_EQ(sink_.ticks[1].quantity, 1192471 - 1175986);
}

TEST_F(KiteDecoderTest, VolumeRestartIsANewSession) {
  ASSERT_EQ(decode(testing::kite_frame({full_})), DecodeResult::ok);
  Bytes next_day = full_;
  testing::set_be32(next_day, kVolumeOffset, 40);
  ASSERT_EQ(decode(testing::kite_frame({next_day})), DecodeResult::ok);
  ASSERT_EQ(sink_.ticks.size(), 2u);
  EXPECT_DOUBLE_EQ(sink_.ticks[1].quantity, 40);
}

TEST_F(KiteDecoderTest, ResetForgetsVolumes) {
  ASSERT_EQ(decode(testing::kite_frame({quote_})), DecodeResult::ok);
  decoder_.reset();
  ASSERT_EQ(decode(testing::kite_frame({full_})), DecodeResult::ok);
  ASSERT_EQ(sink_.ticks.size(), 2u);
  EXPECT_DOUBLE_EQ(sink_.ticks[1].quantity, 7);
}

TEST_F(KiteDecoderTest, LtpAndIndexPacketsAreEveryTimeATickWithoutQuantity) {
  const Bytes ltp = testing::kite_packet({kInfy, 157315});
  ASSERT_EQ(decode(testing::kite_frame({ltp, ltp})), DecodeResult::ok);
  ASSERT_EQ(sink_.ticks.size(), 2u);
  EXPECT_DOUBLE_EQ(sink_.ticks[0].quantity, 0);
  EXPECT_EQ(sink_.ticks[0].time, kNow);
  EXPECT_DOUBLE_EQ(sink_.ticks[1].price, 1573.15);

  KiteDecoder decoder(std::unordered_map<std::uint32_t, SymbolId>{{256265, 9}});
  Bytes index_full =
      testing::kite_packet({256265, 1572250, 1573000, 1565000, 1566000, 1570000, 2250, 1625461887});
  const Bytes frame = testing::kite_frame({index_full});
  sink_.clear();
  ASSERT_EQ(decoder.decode_binary(frame.data(), frame.size(), kNow, sink_, error_), DecodeResult::ok);
  ASSERT_EQ(sink_.ticks.size(), 1u);
  EXPECT_EQ(sink_.ticks[0].symbol, 9u);
  EXPECT_EQ(sink_.ticks[0].time, kRecordedTradeTimeMs);
  EXPECT_DOUBLE_EQ(sink_.ticks[0].price, 15722.5);
}

TEST_F(KiteDecoderTest, ZeroPriceIsNoTick) {
  ASSERT_EQ(decode(testing::kite_frame({testing::kite_packet({kInfy, 0})})), DecodeResult::ok);
  EXPECT_TRUE(sink_.ticks.empty());
}

TEST_F(KiteDecoderTest, HeartbeatAndEmptyFrames) {
  EXPECT_EQ(decode(Bytes{0}), DecodeResult::ignored);
  EXPECT_EQ(decode(Bytes{}), DecodeResult::ignored);
  EXPECT_EQ(decode(Bytes{0, 0}), DecodeResult::ignored);  // zero packets
  EXPECT_TRUE(sink_.ticks.empty());
}

TEST_F(KiteDecoderTest, SeveralPacketsInOneFrame) {
  const Bytes ltp = testing::kite_packet({kInfy, 157315});
  ASSERT_EQ(decode(testing::kite_frame({quote_, ltp, full_})), DecodeResult::ok);
  EXPECT_EQ(sink_.ticks.size(), 3u);
}

TEST_F(KiteDecoderTest, BadPacketsAreSkippedAndReported) {
  const Bytes unknown = testing::kite_packet({884737, 100});
  const Bytes odd(12, 0);
  ASSERT_EQ(decode(testing::kite_frame({unknown, full_, odd})), DecodeResult::error);
  EXPECT_EQ(error_.reason, "unknown instrument token");
  EXPECT_EQ(sink_.ticks.size(), 1u);  // the good packet in between still counts
  ASSERT_EQ(decode(testing::kite_frame({odd})), DecodeResult::error);
  EXPECT_EQ(error_.reason, "bad packet length");
}

TEST_F(KiteDecoderTest, TruncatedFramesNeverReadPastTheEnd) {
  const Bytes frame = testing::kite_frame({quote_, full_});
  for (std::size_t n = 2; n < frame.size(); ++n) {
    // A copy of exactly n bytes, so that ASan sees any read past the end.
    const Bytes prefix(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(n));
    error_.reason = {};
    EXPECT_EQ(decode(prefix), DecodeResult::error) << n;
    EXPECT_EQ(error_.reason, "truncated frame") << n;
  }
}

TEST_F(KiteDecoderTest, TrailingBytesAndOversizedFrames) {
  Bytes frame = testing::kite_frame({full_});
  frame.push_back(0);
  EXPECT_EQ(decode(frame), DecodeResult::error);
  EXPECT_EQ(error_.reason, "trailing bytes after packets");
  EXPECT_EQ(decode(Bytes(KiteDecoder::kMaxFrameBytes + 1, 0)), DecodeResult::error);
  EXPECT_EQ(error_.reason, "frame too large");
  // A count promising more packets than the frame holds.
  Bytes lying = testing::kite_frame({full_});
  lying[1] = 0xff;
  EXPECT_EQ(decode(lying), DecodeResult::error);
  EXPECT_EQ(error_.reason, "truncated frame");
}

TEST_F(KiteDecoderTest, TextFramesAreNotices) {
  const std::string order = R"({"type":"order","data":{"order_id":"1","status":"COMPLETE"}})";
  EXPECT_EQ(decoder_.decode_text(order, sink_, error_), DecodeResult::ok);
  EXPECT_EQ(decoder_.decode_text("", sink_, error_), DecodeResult::ignored);
  ASSERT_EQ(sink_.notices.size(), 1u);
  EXPECT_EQ(sink_.notices[0], order);
}

}  // namespace
}  // namespace tickd::core
