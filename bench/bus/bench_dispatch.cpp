// Dispatch cost per event per observer, and the whole core path (replay of the
// real XRPETH trades through the aggregator and three no-op plugin observers).
#include "bench_observers.hpp"

#include "aggregate/aggregator.hpp"
#include "app/event_router.hpp"
#include "feed/replay/replay_feed.hpp"
#include "feed/replay/trade_csv.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <vector>

namespace tickd::bench {
namespace {

void BM_DispatchToNoopObservers(benchmark::State& state) {
  const int observers = static_cast<int>(state.range(0));
  BenchServices services;
  SymbolId sym = *services.symbols_.intern("BTCUSDT");
  Dispatcher d;
  add_noop_observers(d, services, observers, Overflow::block);
  TickData t{sym, 0, 100.0, 1.0, 0, 1, Side::buy};
  std::int64_t n = 0;
  for (auto _ : state) {
    t.trade_id = ++n;
    d.dispatch(Event::of_tick(t));
  }
  drain(d);  // inside the timing would hide nothing: lossless queues block the loop anyway
  state.SetItemsProcessed(state.iterations() * observers);
  state.counters["ns_per_event_per_observer"] =
      benchmark::Counter(static_cast<double>(state.iterations() * observers),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  d.stop_all(std::chrono::steady_clock::now() + std::chrono::seconds(10));
}
BENCHMARK(BM_DispatchToNoopObservers)->Arg(1)->Arg(4)->UseRealTime();

std::vector<TickData> load_xrpeth(SymbolTable& symbols) {
  std::ifstream in(TICKD_DATA_DIR "/binance-xrpeth-2019-10/XRPETH-aggTrades-2019-10-11_13.csv");
  SymbolId sym = *symbols.intern("XRPETH");
  std::vector<TickData> out;
  std::string line;
  while (std::getline(in, line)) {
    ParsedTrade p;
    std::string_view err;
    if (!parse_trade_csv_line(line, TradeCsvFormat::binance_aggtrades, p, err)) continue;
    out.push_back(TickData{sym, p.time, p.price, p.quantity, p.trade_id, p.trade_count, p.side});
  }
  return out;
}

void BM_ReplayThroughAggregatorAndThreeObservers(benchmark::State& state) {
  BenchServices services;
  auto trades = load_xrpeth(services.symbols_);
  AggregatorConfig config;
  for (const char* iv : {"1m", "5m", "15m", "1h", "4h", "1d"})
    config.intervals.push_back(*Interval::parse(iv));
  config.gap_fill = true;
  Dispatcher d;
  add_noop_observers(d, services, 3, Overflow::block);
  EventRouter router(d);  // the daemon's own glue between feed, aggregator and bus
  std::int64_t ticks = 0;
  TimeMs shift = 0;
  for (auto _ : state) {
    // Each round replays the same trades a little later, as a fresh stretch of time.
    Aggregator agg(config, services.symbols_, router);
    router.attach(agg);
    // In chunks, as the replay feed delivers them.
    const std::size_t chunk = ReplayFeed::kTicksPerTurn;
    for (std::size_t begin = 0; begin < trades.size(); begin += chunk) {
      TickBatch batch(router);
      for (std::size_t i = begin; i < std::min(begin + chunk, trades.size()); ++i) {
        TickData t = trades[i];
        t.time += shift;
        router.on_tick(t);
      }
    }
    shift += 7 * 86400'000;
    ticks += static_cast<std::int64_t>(trades.size());
  }
  drain(d);
  state.SetItemsProcessed(ticks);
  d.stop_all(std::chrono::steady_clock::now() + std::chrono::seconds(10));
}
BENCHMARK(BM_ReplayThroughAggregatorAndThreeObservers)->Unit(benchmark::kMillisecond)->UseRealTime();

// One closed candle at a time: dispatched, handled by the plugin, its queue
// slot freed, with the observer's thread asleep in between as it is on a quiet
// feed. The in-process twin of process_throughput's round trip (send, handle,
// ack): their difference is what running an observer apart adds per event.
void BM_OneClosedCandleRoundTrip(benchmark::State& state) {
  BenchServices services;
  services.intervals_ = {60};
  CandleData c;
  c.symbol = *services.symbols_.intern("BTCUSDT");
  c.interval_s = 60;
  c.open = c.high = c.low = c.close = 37000.5;
  c.flags = TICKD_CANDLE_CLOSED;
  Dispatcher d;
  add_noop_observers(d, services, 1, Overflow::block);
  std::vector<double> us;
  for (auto _ : state) {
    c.open_time += 60000;
    const auto t0 = std::chrono::steady_clock::now();
    d.dispatch(Event::of_candle(c, true));
    drain(d);
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    state.PauseTiming();
    std::this_thread::sleep_for(std::chrono::microseconds(200));  // let the worker fall asleep
    state.ResumeTiming();
  }
  std::sort(us.begin(), us.end());
  state.counters["p50_us"] = us[us.size() / 2];
  state.counters["p99_us"] = us[us.size() * 99 / 100];
  d.stop_all(std::chrono::steady_clock::now() + std::chrono::seconds(10));
}
BENCHMARK(BM_OneClosedCandleRoundTrip)->Iterations(2000)->UseRealTime();

}  // namespace
}  // namespace tickd::bench

BENCHMARK_MAIN();
