#include "outbox.hpp"

#include <gtest/gtest.h>

namespace tickd::ws {
namespace {

MessagePtr frame(std::size_t payload_bytes, char fill = 'x') {
  return make_text_frame(std::string(payload_bytes, fill));
}

TEST(Frame, EncodesRfc6455Lengths) {
  EXPECT_EQ(frame(5)->get_header(), std::string("\x81\x05", 2));
  EXPECT_EQ(frame(300)->get_header(), std::string("\x81\x7e\x01\x2c", 4));
  auto big = frame(70000)->get_header();
  ASSERT_EQ(big.size(), 10u);
  EXPECT_EQ(static_cast<unsigned char>(big[1]), 127);
  EXPECT_EQ(static_cast<unsigned char>(big[7]), 0x01);
  EXPECT_EQ(static_cast<unsigned char>(big[8]), 0x11);
  EXPECT_EQ(static_cast<unsigned char>(big[9]), 0x70);
}

std::string joined(const std::vector<iovec>& iov) {
  std::string out;
  for (const auto& v : iov) out.append(static_cast<const char*>(v.iov_base), v.iov_len);
  return out;
}

TEST(Frame, PongCarriesThePingPayload) {
  auto pong = make_pong("abc");
  EXPECT_EQ(pong->get_header(), std::string("\x8a\x03", 2));
  EXPECT_EQ(pong->get_payload(), "abc");
}

TEST(Outbox, GathersFramesInOrderWithoutCopying) {
  Outbox box({1000, 4000});
  auto a = frame(3, 'a');
  box.push(a, 1, 0);
  box.push(frame(2, 'b'), 2, 0);
  std::vector<iovec> iov;
  box.gather(iov, 16);
  ASSERT_EQ(iov.size(), 4u);
  EXPECT_EQ(iov[1].iov_base, a->get_payload().data());
  EXPECT_EQ(joined(iov), std::string("\x81\x03"
                                     "aaa"
                                     "\x81\x02"
                                     "bb",
                                     9));
  iov.clear();
  box.gather(iov, 3);  // room for one frame only
  EXPECT_EQ(joined(iov), std::string("\x81\x03"
                                     "aaa",
                                     5));
}

TEST(Outbox, TakeFromKeepsWhatAShortWriteLeft) {
  Outbox box({1000, 4000});
  box.push(frame(3, 'a'), 1, 0);
  box.push(frame(2, 'b'), 2, 0);
  auto rest = box.take_from(4);  // the write stopped inside the first payload
  ASSERT_TRUE(rest);
  EXPECT_TRUE(rest->get_header().empty());
  EXPECT_EQ(rest->get_payload(), std::string("a\x81\x02"
                                             "bb",
                                             5));
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.bytes(), 0u);
  EXPECT_EQ(box.take_from(0), nullptr);
}

TEST(Outbox, KeepsEveryUpdateBelowTheSoftLimit) {
  Outbox box({1000, 4000});
  for (int i = 0; i < 5; ++i) box.push(frame(50), Outbox::candle_key(1, 60000), 0);
  EXPECT_EQ(box.bytes(), 5u * 52);
  EXPECT_EQ(box.coalesced(), 0u);
}

TEST(Outbox, CoalescesSameCandlePastTheSoftLimit) {
  Outbox box({200, 4000});
  auto key = Outbox::candle_key(1, 60000);
  for (int i = 0; i < 3; ++i) box.push(frame(50), key, 0);  // 156 bytes: under soft
  auto last = frame(50, 'z');
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(box.push(i == 99 ? last : frame(50), key, 0));
  EXPECT_LE(box.bytes(), 200u + 52);
  EXPECT_EQ(box.coalesced(), 100u);
  // A different candle of the same series is kept: its final state matters.
  box.push(frame(50), Outbox::candle_key(1, 120000), 0);
  EXPECT_EQ(box.coalesced(), 100u);
  auto batch = box.take_from(0);
  EXPECT_NE(batch->get_payload().find(std::string(50, 'z')), std::string::npos);
}

TEST(Outbox, CountsTransportBytesTowardTheLimits) {
  Outbox box({1000, 4000});
  auto key = Outbox::candle_key(2, 0);
  box.push(frame(10), key, 0);
  box.push(frame(10), key, 1500);  // already past soft because of websocketpp's queue
  EXPECT_EQ(box.coalesced(), 1u);
  EXPECT_FALSE(box.push(frame(10), 0, 4000));
}

TEST(Outbox, SignalsAreNeverCoalescedAndHardLimitTrips) {
  Outbox box({100, 500});
  bool ok = true;
  int pushed = 0;
  while (ok && pushed < 100) {
    ok = box.push(frame(40), 0, 0);
    ++pushed;
  }
  EXPECT_FALSE(ok);
  EXPECT_EQ(box.coalesced(), 0u);
  EXPECT_EQ(pushed, 500 / 42 + 1);
}

}  // namespace
}  // namespace tickd::ws
