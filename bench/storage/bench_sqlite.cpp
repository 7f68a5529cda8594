// Closed-candle upserts per second through the sqlite plugin, end to end: the
// worker's on_candle, the queue, the writer thread's batched transactions and
// the final flush in stop(). Argument: batch_size.
#include "sqlite/sqlite_storage.hpp"
#include "support/temp_dir.hpp"

#include <tickd/testing/fake_host.hpp>

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace {

constexpr int kSymbols = 20;
constexpr int kCandlesPerRun = 200000;

void run(benchmark::State& state, bool rewrite) {
  tickd::test_support::TempDir dir("tickd-bench-sqlite");
  const nlohmann::json config{{"path", dir.file("bench.db")}, {"batch_size", state.range(0)}};
  tickd::testing::FakeHost host("store", config);
  std::vector<std::string_view> symbols;
  for (int i = 0; i < kSymbols; ++i) symbols.push_back(host.intern("SYM" + std::to_string(i) + "USDT"));
  tickd::Candle c;
  c.interval = *tickd::Interval::parse("1m");
  c.closed = true;
  c.trade_count = 12;
  std::int64_t minute = 0;
  if (rewrite) {  // the rows exist already: every write is an update
    tickd::sqlite_store::SqliteStorage warm;
    warm.start(host.host());
    for (int i = 0; i < kCandlesPerRun; ++i) {
      c.symbol = symbols[static_cast<std::size_t>(i % kSymbols)];
      c.open_time = 1570752000000 + (i / kSymbols) * 60000;
      warm.on_candle(c);
    }
    warm.stop();
  }
  for (auto _ : state) {
    tickd::sqlite_store::SqliteStorage store;
    store.start(host.host());
    for (int i = 0; i < kCandlesPerRun; ++i) {
      c.symbol = symbols[static_cast<std::size_t>(i % kSymbols)];
      c.open_time = 1570752000000 + (rewrite ? i / kSymbols : minute++ / kSymbols) * 60000;
      c.close = c.open = c.high = c.low = 100.0 + i % 7;
      c.volume = 1.5;
      c.quote_volume = c.close * 1.5;
      c.vwap = c.close;
      store.on_candle(c);
    }
    store.stop();  // includes the last flush: nothing is left uncommitted
  }
  state.SetItemsProcessed(state.iterations() * kCandlesPerRun);
}

void BM_SqliteInsertNewCandles(benchmark::State& state) { run(state, false); }
void BM_SqliteUpdateExistingCandles(benchmark::State& state) { run(state, true); }

BENCHMARK(BM_SqliteInsertNewCandles)
    ->Arg(100)
    ->Arg(500)
    ->Arg(1000)
    ->Arg(5000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_SqliteUpdateExistingCandles)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
