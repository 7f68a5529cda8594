// The real-data oracle: Binance's own XRPETH klines must come out of replaying
// Binance's aggregate trades of the same window (see data/README.md).
#include "aggregate/aggregator.hpp"
#include "feed/replay/trade_csv.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <string>

namespace tickd::core {
namespace {

using namespace testing;

const std::string kDir = TICKD_DATA_DIR "/binance-xrpeth-2019-10/";

struct Kline {
  TimeMs open_time;
  double open, high, low, close, volume;
};

double to_double(std::string_view s) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) ADD_FAILURE() << "bad number '" << s << "'";
  return v;
}

std::vector<Kline> read_klines(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::vector<Kline> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::string_view f[6];
    std::string_view rest = line;
    for (int i = 0; i < 6; ++i) {
      const auto comma = rest.find(',');
      f[i] = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    out.push_back({static_cast<TimeMs>(to_double(f[0])), to_double(f[1]), to_double(f[2]), to_double(f[3]),
                   to_double(f[4]), to_double(f[5])});
  }
  return out;
}

void expect_same(const Kline& k, const CandleData& c) {
  SCOPED_TRACE("kline at " + std::to_string(k.open_time));
  EXPECT_EQ(c.open_time, k.open_time);
  EXPECT_EQ(c.open, k.open);
  EXPECT_EQ(c.high, k.high);
  EXPECT_EQ(c.low, k.low);
  EXPECT_EQ(c.close, k.close);
  if (k.volume == 0)
    EXPECT_EQ(c.volume, 0);
  else
    EXPECT_NEAR(c.volume, k.volume, k.volume * 1e-9);
  EXPECT_EQ((c.flags & TICKD_CANDLE_FILLED) != 0, k.volume == 0);
}

TEST(XrpethOracle, ReplayedTradesReproduceBinanceKlines) {
  SymbolTable symbols;
  const SymbolId xrpeth = *symbols.intern("XRPETH");
  RecordingSink sink;
  AggregatorConfig cfg = config_of({"1m", "5m"});
  cfg.gap_fill = true;
  cfg.update_throttle_ms = 250;
  Aggregator agg(cfg, symbols, sink);

  std::ifstream in(kDir + "XRPETH-aggTrades-2019-10-11_13.csv");
  ASSERT_TRUE(in);
  std::string line;
  std::size_t rows = 0, line_no = 0;
  std::uint64_t trades = 0;
  TimeMs last_time = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line_no == 1 && is_trade_csv_header(line)) continue;
    ParsedTrade p;
    std::string_view error;
    ASSERT_TRUE(parse_trade_csv_line(line, TradeCsvFormat::binance_aggtrades, p, error))
        << "line " << line_no << ": " << error;
    TickData t;
    t.symbol = xrpeth;
    t.time = p.time;
    t.price = p.price;
    t.quantity = p.quantity;
    t.trade_id = p.trade_id;
    t.trade_count = p.trade_count;
    t.side = p.side;
    agg.on_tick(t);
    ++rows;
    trades += p.trade_count;
    last_time = p.time;
  }
  EXPECT_EQ(rows, 12477u);
  EXPECT_EQ(trades, 14672u);
  agg.on_clock(last_time);  // flushes the throttled last updates, closes nothing
  EXPECT_EQ(agg.stats().late_dropped, 0u);

  for (const auto& [name, seconds, count] :
       {std::tuple<const char*, std::int32_t, std::size_t>{"1m", 60, 3560}, {"5m", 300, 712}}) {
    SCOPED_TRACE(name);
    const auto klines = read_klines(kDir + "XRPETH-" + name + "-2019-10-11_13.csv");
    ASSERT_EQ(klines.size(), count);
    const auto closed = sink.closed(seconds);
    ASSERT_EQ(closed.size(), count - 1);  // the last kline was still open when recorded
    std::uint64_t closed_trades = 0;
    for (std::size_t i = 0; i + 1 < count; ++i) {
      expect_same(klines[i], closed[i]);
      closed_trades += closed[i].trade_count;
    }
    std::vector<CandleData> open;
    ASSERT_TRUE(agg.history(xrpeth, iv(name), 1, open));
    ASSERT_EQ(open.size(), 1u);
    EXPECT_FALSE(open[0].closed());
    expect_same(klines.back(), open[0]);
    EXPECT_EQ(closed_trades + open[0].trade_count, 14672u);
    EXPECT_EQ(closed[0].flags, TICKD_CANDLE_CLOSED | TICKD_CANDLE_PARTIAL);
  }
  // 1,091 of the minutes had no trade; every flat candle is counted as gap fill.
  std::size_t flat_minutes = 0, flat_five = 0;
  for (const auto& c : sink.closed(60)) flat_minutes += (c.flags & TICKD_CANDLE_FILLED) ? 1 : 0;
  for (const auto& c : sink.closed(300)) flat_five += (c.flags & TICKD_CANDLE_FILLED) ? 1 : 0;
  EXPECT_EQ(flat_minutes, 1091u);
  EXPECT_EQ(agg.stats().gap_filled, flat_minutes + flat_five);
}

}  // namespace
}  // namespace tickd::core
