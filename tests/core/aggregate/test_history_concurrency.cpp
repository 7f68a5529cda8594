// history() from other threads while the feed thread aggregates: readers must
// always see a well-formed series (run it under TSan/ASan to check the rest).
#include "aggregate/aggregator.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace tickd::core {
namespace {

using namespace testing;

class CountingSink : public CandleSink {
 public:
  void on_candle(const CandleData&, CandleEventKind kind) override {
    (kind == CandleEventKind::closed ? closed : updates)++;
  }
  std::uint64_t closed = 0, updates = 0;
};

TEST(HistoryConcurrency, ReadersSeeOrderedSeriesWhileTicksFlow) {
  constexpr SymbolId kSymbols = 64;
  constexpr int kTicks = 200000;
  SymbolTable symbols;
  CountingSink sink;
  AggregatorConfig cfg = config_of({"1s", "5s", "1m"});
  cfg.history = 50;
  cfg.update_throttle_ms = 0;
  cfg.gap_fill = true;
  Aggregator agg(cfg, symbols, sink);

  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> reads{0}, bad{0};
  auto reader = [&](unsigned seed) {
    std::vector<CandleData> out;
    unsigned s = seed;
    while (!done.load(std::memory_order_acquire)) {
      s = s * 1103515245u + 12345u;
      const SymbolId id = (s >> 8) % kSymbols;
      const Interval interval = cfg.intervals[(s >> 4) % cfg.intervals.size()];
      if (!agg.history(id, interval, 40, out)) continue;
      reads.fetch_add(1, std::memory_order_relaxed);
      if (out.size() > 40) bad.fetch_add(1);
      for (std::size_t i = 0; i < out.size(); ++i) {
        const CandleData& c = out[i];
        const bool last = i + 1 == out.size();
        if (c.symbol != id || c.interval_s != interval.seconds() || c.low > c.high) bad.fetch_add(1);
        if (!last && !c.closed()) bad.fetch_add(1);
        if (i > 0 && c.open_time <= out[i - 1].open_time) bad.fetch_add(1);
      }
      (void)agg.stats();
    }
  };
  std::thread r1(reader, 1), r2(reader, 2);

  const TimeMs base = 1600000000000;
  for (int i = 0; i < kTicks; ++i) {
    const SymbolId id = static_cast<SymbolId>(i % kSymbols);
    agg.on_tick(tick(base + i * 3, 100 + (i % 17), 1, id));
    if (i % 5000 == 0) agg.on_clock(base + i * 3);
  }
  done.store(true, std::memory_order_release);
  r1.join();
  r2.join();

  EXPECT_EQ(bad.load(), 0u);
  EXPECT_GT(reads.load(), 0u);
  EXPECT_EQ(agg.stats().ticks, static_cast<std::uint64_t>(kTicks));
  EXPECT_EQ(sink.updates, static_cast<std::uint64_t>(kTicks) * 3);
  // 600 s of ticks from 40 s past a minute: every symbol touched 600 1s, 120 5s
  // and 11 1m buckets, all closed but the last.
  const std::vector<std::uint64_t> expected{kSymbols * 599u, kSymbols * 119u, kSymbols * 10u};
  EXPECT_EQ(agg.stats().closed_per_interval, expected);
}

}  // namespace
}  // namespace tickd::core
