// The chart PNG: decodable, the configured size, green for up candles and red
// for down candles, and only those.
#include "candle_chart.hpp"
#include "png_pixels.hpp"

#include <gtest/gtest.h>

namespace tickd::telegram {
namespace {

std::vector<Candle> series(int n, bool up, bool alternate = false) {
  std::vector<Candle> out;
  double price = 100;
  for (int i = 0; i < n; ++i) {
    const bool rising = alternate ? i % 2 == 0 : up;
    Candle c;
    c.symbol = "BTCUSDT";
    c.interval = *Interval::parse("1m");
    c.open_time = i * 60000;
    c.open = price;
    c.close = rising ? price + 2 : price - 2;
    c.high = std::max(c.open, c.close) + 1;
    c.low = std::min(c.open, c.close) - 1;
    c.closed = true;
    price = c.close;
    out.push_back(c);
  }
  return out;
}

TEST(CandleChartTest, UpCandlesAreGreenOnly) {
  const std::string png = render_candle_chart(series(20, true), "BTCUSDT 1m");
  ASSERT_GT(png.size(), 1000u);
  EXPECT_EQ(png.substr(0, 8), "\x89PNG\r\n\x1a\n");
  auto p = test::count_candle_pixels(png);
  EXPECT_EQ(p.width, 800);
  EXPECT_EQ(p.height, 420);
  EXPECT_GT(p.green, 2000);
  EXPECT_EQ(p.red, 0);
}

TEST(CandleChartTest, DownCandlesAreRedOnlyAndMixedShowsBoth) {
  auto down = test::count_candle_pixels(render_candle_chart(series(20, false), "x", {400, 300}));
  EXPECT_EQ(down.width, 400);
  EXPECT_EQ(down.height, 300);
  EXPECT_GT(down.red, 500);
  EXPECT_EQ(down.green, 0);
  auto mixed = test::count_candle_pixels(render_candle_chart(series(30, true, true), "x"));
  EXPECT_GT(mixed.green, 1000);
  EXPECT_GT(mixed.red, 1000);
  // As many up as down candles, of the same size: about as many pixels each.
  EXPECT_NEAR(static_cast<double>(mixed.green) / static_cast<double>(mixed.red), 1.0, 0.25);
}

TEST(CandleChartTest, EmptyAndFlatSeriesStillRender) {
  EXPECT_GT(render_candle_chart({}, "nothing").size(), 100u);
  auto flat = series(5, true);
  for (auto& c : flat) c.open = c.close = c.high = c.low = 7;
  auto p = test::count_candle_pixels(render_candle_chart(flat, "flat"));
  EXPECT_GT(p.green, 0);
}

}  // namespace
}  // namespace tickd::telegram
