// The SDK's one conversion between its value types and the ABI structs reads
// only the bytes the other side wrote (struct_size): a struct from an older,
// shorter layout leaves the fields it lacks at zero, and one from a newer,
// longer layout is read up to the fields this header knows.
#include <tickd/types.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <vector>

namespace tickd {
namespace {

// A struct as a plugin built for another layout would lay it out: `size` bytes
// of it are meaningful, and every byte beyond is garbage the reader must not use.
template <typename AbiStruct>
std::vector<unsigned char> laid_out(const AbiStruct& value, std::size_t size) {
  std::vector<unsigned char> bytes(std::max(size, sizeof(AbiStruct)) + 64, 0xAB);
  std::memcpy(bytes.data(), &value, std::min(size, sizeof(AbiStruct)));
  const auto struct_size = static_cast<std::uint32_t>(size);
  std::memcpy(bytes.data(), &struct_size, sizeof struct_size);
  return bytes;
}

tickd_candle full_candle() {
  Candle c;
  c.symbol = "INFY";
  c.interval = *Interval::parse("5m");
  c.open_time = 1700000000000;
  c.open = 1;
  c.high = 4;
  c.low = 0.5;
  c.close = 2;
  c.volume = 10;
  c.quote_volume = 20;
  c.vwap = 2;
  c.trade_count = 7;
  c.closed = true;
  c.filled = true;
  return detail::to_c(c);
}

TEST(AbiConversion, AShorterCandleLeavesTheFieldsItLacksAtZero) {
  const auto bytes = laid_out(full_candle(), offsetof(tickd_candle, trade_count));
  const Candle c = detail::from_c(*reinterpret_cast<const tickd_candle*>(bytes.data()));
  EXPECT_EQ(c.symbol, "INFY");
  EXPECT_EQ(c.interval.name(), "5m");
  EXPECT_EQ(c.close, 2);
  EXPECT_EQ(c.vwap, 2);
  EXPECT_EQ(c.trade_count, 0u) << "read past the struct_size the writer gave";
  EXPECT_FALSE(c.closed);
  EXPECT_FALSE(c.filled);
}

TEST(AbiConversion, ALongerCandleIsReadUpToTheFieldsThisHeaderKnows) {
  const auto bytes = laid_out(full_candle(), sizeof(tickd_candle) + 24);
  const Candle c = detail::from_c(*reinterpret_cast<const tickd_candle*>(bytes.data()));
  EXPECT_EQ(c.trade_count, 7u);
  EXPECT_TRUE(c.closed);
  EXPECT_FALSE(c.partial);
  EXPECT_TRUE(c.filled);
}

TEST(AbiConversion, AShorterTickAndSignalToo) {
  Tick t;
  t.symbol = "BTCUSDT";
  t.price = 100;
  t.trade_id = 42;
  t.side = Side::sell;
  auto tick_bytes = laid_out(detail::to_c(t), offsetof(tickd_tick, trade_id));
  const Tick tr = detail::from_c(*reinterpret_cast<const tickd_tick*>(tick_bytes.data()));
  EXPECT_EQ(tr.price, 100);
  EXPECT_EQ(tr.trade_id, 0);
  EXPECT_EQ(tr.side, Side::unknown);

  Signal s;
  s.symbol = "NIFTY 50";
  s.text = "crossed";
  s.source = "ema";
  auto signal_bytes = laid_out(detail::to_c(s), offsetof(tickd_signal, source));
  const Signal sr = detail::from_c(*reinterpret_cast<const tickd_signal*>(signal_bytes.data()));
  EXPECT_EQ(sr.symbol, "NIFTY 50");
  EXPECT_TRUE(sr.source.empty());
  EXPECT_TRUE(sr.text.empty());
}

TEST(AbiConversion, AStructWithoutASizeIsAllZero) {
  const auto bytes = laid_out(full_candle(), 0);
  const Candle c = detail::from_c(*reinterpret_cast<const tickd_candle*>(bytes.data()));
  EXPECT_TRUE(c.symbol.empty());
  EXPECT_EQ(c.close, 0);
  EXPECT_FALSE(c.interval.valid());
}

TEST(AbiConversion, CandleFlagsAreTheThreeFactsBothWays) {
  for (std::uint32_t bits = 0; bits < 8; ++bits) {
    const std::uint32_t flags = (bits & 1 ? TICKD_CANDLE_CLOSED : 0u) |
                                (bits & 2 ? TICKD_CANDLE_PARTIAL : 0u) |
                                (bits & 4 ? TICKD_CANDLE_FILLED : 0u);
    Candle c;
    c.set_flags(flags);
    EXPECT_EQ(c.closed, (bits & 1) != 0);
    EXPECT_EQ(c.partial, (bits & 2) != 0);
    EXPECT_EQ(c.filled, (bits & 4) != 0);
    EXPECT_EQ(c.flags(), flags);
    tickd_candle raw = detail::to_c(c);
    EXPECT_EQ(raw.flags, flags);
    EXPECT_EQ(detail::from_c(raw).flags(), flags);
  }
}

}  // namespace
}  // namespace tickd
