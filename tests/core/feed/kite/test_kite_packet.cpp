// Kite packet layouts: the real recorded packets against their published
// decoded values, and spec-built packets for the other layouts and segments.
#include "feed/kite/kite_packet.hpp"

#include "kite_test_data.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tickd::core {
namespace {

using testing::Bytes;

nlohmann::json published(const std::string& name) {
  return nlohmann::json::parse(testing::read_text_file(std::string(TICKD_DATA_DIR) + "/kite/" + name));
}

// "2021-07-05T10:41:27+05:30" is 05:11:27 UTC.
constexpr TimeMs kRecordedTradeTimeMs = 1625461887000;

void expect_quote_fields(const KitePacket& p, const nlohmann::json& j) {
  EXPECT_EQ(p.tradable, j["tradable"].get<bool>());
  EXPECT_EQ(p.instrument_token, j["instrument_token"].get<std::uint32_t>());
  EXPECT_DOUBLE_EQ(p.last_price, j["last_price"].get<double>());
  EXPECT_EQ(p.last_traded_quantity, j["last_quantity"].get<std::uint32_t>());
  EXPECT_DOUBLE_EQ(p.average_traded_price, j["average_price"].get<double>());
  EXPECT_EQ(p.volume_traded, j["volume"].get<std::uint32_t>());
  EXPECT_EQ(p.total_buy_quantity, j["buy_quantity"].get<std::uint32_t>());
  EXPECT_EQ(p.total_sell_quantity, j["sell_quantity"].get<std::uint32_t>());
  EXPECT_DOUBLE_EQ(p.open, j["ohlc"]["open"].get<double>());
  EXPECT_DOUBLE_EQ(p.high, j["ohlc"]["high"].get<double>());
  EXPECT_DOUBLE_EQ(p.low, j["ohlc"]["low"].get<double>());
  EXPECT_DOUBLE_EQ(p.close, j["ohlc"]["close"].get<double>());
}

TEST(KitePacket, RecordedFullPacketMatchesPublishedValues) {
  const Bytes bytes = testing::kite_recorded_packet("ticker_full.packet");
  ASSERT_EQ(bytes.size(), kKiteFullPacketSize);
  const auto j = published("ticker_full.json");
  KitePacket p;
  ASSERT_TRUE(decode_kite_packet(bytes.data(), bytes.size(), p));
  EXPECT_EQ(p.mode, KitePacketMode::full);
  expect_quote_fields(p, j);
  EXPECT_NEAR(p.change, j["change"].get<double>(), 1e-9);
  EXPECT_EQ(p.last_trade_time, kRecordedTradeTimeMs);
  EXPECT_EQ(p.exchange_timestamp, kRecordedTradeTimeMs);
  EXPECT_EQ(p.oi, j["oi"].get<std::uint32_t>());
  EXPECT_EQ(p.oi_day_high, j["oi_day_high"].get<std::uint32_t>());
  EXPECT_EQ(p.oi_day_low, j["oi_day_low"].get<std::uint32_t>());
  for (std::size_t i = 0; i < 5; ++i) {
    SCOPED_TRACE(i);
    const auto& buy = j["depth"]["buy"][i];
    const auto& sell = j["depth"]["sell"][i];
    EXPECT_DOUBLE_EQ(p.buy[i].price, buy["price"].get<double>());
    EXPECT_EQ(p.buy[i].quantity, buy["quantity"].get<std::uint32_t>());
    EXPECT_EQ(p.buy[i].orders, buy["orders"].get<std::uint16_t>());
    EXPECT_DOUBLE_EQ(p.sell[i].price, sell["price"].get<double>());
    EXPECT_EQ(p.sell[i].quantity, sell["quantity"].get<std::uint32_t>());
    EXPECT_EQ(p.sell[i].orders, sell["orders"].get<std::uint16_t>());
  }
}

TEST(KitePacket, RecordedQuotePacketMatchesPublishedValues) {
  const Bytes bytes = testing::kite_recorded_packet("ticker_quote.packet");
  ASSERT_EQ(bytes.size(), kKiteQuotePacketSize);
  const auto j = published("ticker_quote.json");
  KitePacket p;
  ASSERT_TRUE(decode_kite_packet(bytes.data(), bytes.size(), p));
  EXPECT_EQ(p.mode, KitePacketMode::quote);
  expect_quote_fields(p, j);
  // The published `change` was copied from the full tick (data README); the
  // quote packet's own last price gives 1573.15 - 1567.8.
  EXPECT_NEAR(p.change, 5.35, 1e-9);
  EXPECT_EQ(p.last_trade_time, 0);
  EXPECT_EQ(p.exchange_timestamp, 0);
  EXPECT_EQ(p.buy[0].quantity, 0u);
}

TEST(KitePacket, LtpPacketMatchesPublishedValue) {
  const auto j = published("ticker_ltp.json");
  const Bytes bytes = testing::kite_packet({j["instrument_token"].get<std::uint32_t>(), 157315});
  KitePacket p;
  ASSERT_TRUE(decode_kite_packet(bytes.data(), bytes.size(), p));
  EXPECT_EQ(p.mode, KitePacketMode::ltp);
  EXPECT_TRUE(p.tradable);
  EXPECT_EQ(p.instrument_token, 408065u);
  EXPECT_DOUBLE_EQ(p.last_price, j["last_price"].get<double>());
}

// NIFTY 50 (token 256265, segment 9): high, low, open, close order differs from quote.
TEST(KitePacket, IndexPackets) {
  Bytes quote = testing::kite_packet({256265, 1572250, 1573000, 1565000, 1566000, 1570000, 2250});
  KitePacket p;
  ASSERT_TRUE(decode_kite_packet(quote.data(), quote.size(), p));
  EXPECT_EQ(p.mode, KitePacketMode::index_quote);
  EXPECT_FALSE(p.tradable);
  EXPECT_DOUBLE_EQ(p.last_price, 15722.5);
  EXPECT_DOUBLE_EQ(p.high, 15730);
  EXPECT_DOUBLE_EQ(p.low, 15650);
  EXPECT_DOUBLE_EQ(p.open, 15660);
  EXPECT_DOUBLE_EQ(p.close, 15700);
  EXPECT_DOUBLE_EQ(p.change, 22.5);
  EXPECT_EQ(p.exchange_timestamp, 0);

  Bytes full = quote;
  testing::put_be32(full, 1625461887);
  ASSERT_TRUE(decode_kite_packet(full.data(), full.size(), p));
  EXPECT_EQ(p.mode, KitePacketMode::index_full);
  EXPECT_EQ(p.exchange_timestamp, kRecordedTradeTimeMs);
}

TEST(KitePacket, PriceDivisorBySegment) {
  // USDINR future on CDS (segment 3): 74.5025 INR as 745025000 / 10^7.
  const std::uint32_t cds_token = (1234u << 8) | 3u;
  Bytes cds = testing::kite_packet({cds_token, 745025000});
  KitePacket p;
  ASSERT_TRUE(decode_kite_packet(cds.data(), cds.size(), p));
  EXPECT_DOUBLE_EQ(p.last_price, 74.5025);
  // BSE currency (segment 6): 10^4.
  const std::uint32_t bcd_token = (1234u << 8) | 6u;
  Bytes bcd = testing::kite_packet({bcd_token, 745025});
  ASSERT_TRUE(decode_kite_packet(bcd.data(), bcd.size(), p));
  EXPECT_DOUBLE_EQ(p.last_price, 74.5025);
  EXPECT_DOUBLE_EQ(kite_price_divisor(408065), 100.0);
  // Prices are signed (a commodity future traded below zero in April 2020).
  Bytes negative = testing::kite_packet({408065, static_cast<std::uint32_t>(-3763)});
  ASSERT_TRUE(decode_kite_packet(negative.data(), negative.size(), p));
  EXPECT_DOUBLE_EQ(p.last_price, -37.63);
}

TEST(KitePacket, OtherSizesAreRejected) {
  const Bytes full = testing::kite_recorded_packet("ticker_full.packet");
  KitePacket p;
  for (std::size_t size = 0; size <= full.size() + 8; ++size) {
    Bytes bytes(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(std::min(size, full.size())));
    bytes.resize(size, 0);
    const bool known = size == 8 || size == 28 || size == 32 || size == 44 || size == 184;
    EXPECT_EQ(decode_kite_packet(bytes.data(), bytes.size(), p), known) << size;
  }
}

}  // namespace
}  // namespace tickd::core
