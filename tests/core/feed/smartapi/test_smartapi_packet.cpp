// SmartAPI V2 packet layouts against spec-built packets with known values.
#include "feed/smartapi/smartapi_packet.hpp"

#include "smartapi_encoder.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

using Bytes = std::vector<std::uint8_t>;

SmartApiPacket decode_ok(const Bytes& bytes, double divisor = 0) {
  SmartApiPacket p;
  std::string_view error;
  EXPECT_TRUE(decode_smartapi_packet(bytes.data(), bytes.size(), divisor, p, error)) << error;
  return p;
}

TEST(SmartApiPacket, SnapQuoteEveryField) {
  const Bytes bytes = testing::encode_smartapi_packet(testing::reliance_snap_quote());
  ASSERT_EQ(bytes.size(), kSmartApiSnapQuotePacketSize);
  const SmartApiPacket p = decode_ok(bytes);
  EXPECT_EQ(p.mode, SmartApiMode::snap_quote);
  EXPECT_EQ(p.exchange_type, smartapi_exchange::nse_cm);
  EXPECT_EQ(p.token, "2885");
  EXPECT_EQ(p.sequence_number, 25473419);
  EXPECT_EQ(p.exchange_timestamp, 1700462701000);
  EXPECT_DOUBLE_EQ(p.last_traded_price, 2335.25);
  EXPECT_EQ(p.last_traded_quantity, 12);
  EXPECT_DOUBLE_EQ(p.average_traded_price, 2331.08);
  EXPECT_EQ(p.volume, 2917366);
  EXPECT_DOUBLE_EQ(p.total_buy_quantity, 412377.0);
  EXPECT_DOUBLE_EQ(p.total_sell_quantity, 598712.0);
  EXPECT_DOUBLE_EQ(p.open, 2320.0);
  EXPECT_DOUBLE_EQ(p.high, 2340.0);
  EXPECT_DOUBLE_EQ(p.low, 2315.10);
  EXPECT_DOUBLE_EQ(p.close, 2321.75);
  EXPECT_EQ(p.last_traded_timestamp, 1700462700);
  EXPECT_EQ(p.open_interest, 0);
  EXPECT_DOUBLE_EQ(p.open_interest_change_percent, 0.5);
  ASSERT_EQ(p.buy_levels, 5);
  ASSERT_EQ(p.sell_levels, 5);
  for (int i = 0; i < 5; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(p.buy[i].flag, 1);
    EXPECT_EQ(p.buy[i].quantity, 100 + i);
    EXPECT_DOUBLE_EQ(p.buy[i].price, (233520 - 5 * i) / 100.0);
    EXPECT_EQ(p.buy[i].orders, 1 + i);
    EXPECT_EQ(p.sell[i].flag, 0);
    EXPECT_EQ(p.sell[i].quantity, 200 + i);
    EXPECT_DOUBLE_EQ(p.sell[i].price, (233525 + 5 * i) / 100.0);
    EXPECT_EQ(p.sell[i].orders, 2 + i);
  }
  EXPECT_DOUBLE_EQ(p.upper_circuit, 2553.90);
  EXPECT_DOUBLE_EQ(p.lower_circuit, 2089.60);
  EXPECT_DOUBLE_EQ(p.week52_high, 2633.00);
  EXPECT_DOUBLE_EQ(p.week52_low, 2180.20);
}

TEST(SmartApiPacket, QuoteStopsBeforeSnapQuoteFields) {
  auto spec = testing::reliance_snap_quote();
  spec.mode = 2;
  const Bytes bytes = testing::encode_smartapi_packet(spec);
  ASSERT_EQ(bytes.size(), kSmartApiQuotePacketSize);
  const SmartApiPacket p = decode_ok(bytes);
  EXPECT_EQ(p.mode, SmartApiMode::quote);
  EXPECT_EQ(p.volume, 2917366);
  EXPECT_DOUBLE_EQ(p.close, 2321.75);
  EXPECT_EQ(p.last_traded_timestamp, 0);
  EXPECT_EQ(p.buy_levels, 0);
}

TEST(SmartApiPacket, LtpAndTokenOfFullWidth) {
  testing::SmartApiPacketSpec spec;
  spec.mode = 1;
  spec.exchange_type = smartapi_exchange::nse_fo;
  spec.token = "1234567890123456789012345";  // all 25 bytes, no NUL
  spec.exchange_timestamp = 1700462701000;
  spec.ltp = 1999995;
  const Bytes bytes = testing::encode_smartapi_packet(spec);
  ASSERT_EQ(bytes.size(), kSmartApiLtpPacketSize);
  const SmartApiPacket p = decode_ok(bytes);
  EXPECT_EQ(p.mode, SmartApiMode::ltp);
  EXPECT_EQ(p.exchange_type, smartapi_exchange::nse_fo);
  EXPECT_EQ(p.token, spec.token);
  EXPECT_DOUBLE_EQ(p.last_traded_price, 19999.95);
  EXPECT_FALSE(p.has_volume());
}

TEST(SmartApiPacket, CurrencyDivisorAndOverride) {
  testing::SmartApiPacketSpec spec;
  spec.exchange_type = smartapi_exchange::cde_fo;
  spec.token = "1151";
  spec.ltp = 832512500;  // USDINR 83.25125
  const Bytes bytes = testing::encode_smartapi_packet(spec);
  EXPECT_DOUBLE_EQ(decode_ok(bytes).last_traded_price, 83.25125);
  EXPECT_DOUBLE_EQ(decode_ok(bytes, 10000.0).last_traded_price, 83251.25);
}

TEST(SmartApiPacket, BadPackets) {
  const Bytes good = testing::encode_smartapi_packet(testing::reliance_snap_quote());
  SmartApiPacket p;
  std::string_view error;
  // Every shorter length: rejected, and ASan checks nothing past it is read.
  for (std::size_t n = 0; n < good.size(); ++n) {
    const Bytes prefix(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_FALSE(decode_smartapi_packet(prefix.data(), prefix.size(), 0, p, error)) << n;
  }
  Bytes longer = good;
  longer.push_back(0);
  EXPECT_FALSE(decode_smartapi_packet(longer.data(), longer.size(), 0, p, error));
  EXPECT_EQ(error, "packet size does not match mode");

  Bytes bad_mode = good;
  bad_mode[0] = 4;  // depth-20 mode: not subscribed by tickd
  EXPECT_FALSE(decode_smartapi_packet(bad_mode.data(), bad_mode.size(), 0, p, error));
  EXPECT_EQ(error, "bad subscription mode");

  Bytes empty_token = good;
  for (int i = 2; i < 27; ++i) empty_token[i] = 0;
  EXPECT_FALSE(decode_smartapi_packet(empty_token.data(), empty_token.size(), 0, p, error));
  EXPECT_EQ(error, "bad token");

  Bytes junk_after_nul = good;
  junk_after_nul[10] = 'x';  // "2885\0\0\0\0x..."
  EXPECT_FALSE(decode_smartapi_packet(junk_after_nul.data(), junk_after_nul.size(), 0, p, error));
  EXPECT_EQ(error, "bad token");

  Bytes control = good;
  control[3] = '\n';
  EXPECT_FALSE(decode_smartapi_packet(control.data(), control.size(), 0, p, error));
  EXPECT_EQ(error, "bad token");
}

}  // namespace
}  // namespace tickd::core
