// The open-candle snapshot is written without a lock on every update: a reader
// on another thread must never see half of one update and half of another.
#include "aggregate/history_ring.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace tickd::core {
namespace {

CandleData uniform(std::uint64_t n) {
  CandleData c;
  c.open_time = static_cast<TimeMs>(n);
  c.open = c.high = c.low = c.close = c.volume = c.quote_volume = static_cast<double>(n);
  c.trade_count = n;
  return c;
}

bool is_uniform(const CandleData& c) {
  const double n = static_cast<double>(c.trade_count);
  return c.open_time == static_cast<TimeMs>(c.trade_count) && c.open == n && c.high == n && c.low == n &&
         c.close == n && c.volume == n && c.quote_volume == n;
}

TEST(HistoryRing, OpenSnapshotIsNeverTornUnderConcurrentUpdates) {
  HistoryRing ring;
  ring.set_capacity(8);
  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> reads{0}, torn{0};
  auto reader = [&] {
    std::vector<CandleData> out;
    while (!done.load(std::memory_order_acquire)) {
      ring.copy(1, out);
      if (out.empty()) continue;
      reads.fetch_add(1, std::memory_order_relaxed);
      if (!is_uniform(out.back())) torn.fetch_add(1, std::memory_order_relaxed);
    }
  };
  std::thread r1(reader), r2(reader);
  for (std::uint64_t n = 1; n <= 2'000'000; ++n) ring.set_open(uniform(n));
  done.store(true, std::memory_order_release);
  r1.join();
  r2.join();
  EXPECT_EQ(torn.load(), 0u);
  EXPECT_GT(reads.load(), 0u);
}

TEST(HistoryRing, ClosingClearsTheOpenSnapshot) {
  HistoryRing ring;
  ring.set_capacity(8);
  ring.set_open(uniform(5));
  std::vector<CandleData> out;
  ring.copy(10, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].trade_count, 5u);

  ring.push_closed(uniform(5));
  ring.copy(10, out);
  ASSERT_EQ(out.size(), 1u);  // the closed candle, no stale open copy after it
  ring.set_open(uniform(6));
  ring.copy(10, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].trade_count, 5u);
  EXPECT_EQ(out[1].trade_count, 6u);
}

}  // namespace
}  // namespace tickd::core
