// Aggregator throughput: synthetic many-symbol load and the real XRPETH trades.
#include "aggregate/aggregator.hpp"
#include "feed/replay/trade_csv.hpp"

#include <benchmark/benchmark.h>

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>

namespace tickd::core {
namespace {

class CountingSink : public CandleSink {
 public:
  void on_candle(const CandleData& candle, CandleEventKind kind) override {
    (kind == CandleEventKind::closed ? closed : updates)++;
    benchmark::DoNotOptimize(candle.close);
  }
  std::uint64_t closed = 0, updates = 0;
};

AggregatorConfig six_intervals(std::initializer_list<const char*> names) {
  AggregatorConfig cfg;
  for (const char* n : names) cfg.intervals.push_back(*Interval::parse(n));
  cfg.update_throttle_ms = 250;
  return cfg;
}

// 1,000 symbols in turn, 100 ticks per millisecond of exchange time (100 ticks
// per second per symbol), a random walk of prices.
void BM_ThousandSymbolsSixIntervals(benchmark::State& state) {
  constexpr SymbolId kSymbols = 1000;
  constexpr std::size_t kTicks = 1 << 20;
  constexpr TimeMs kStart = 1600000000000;
  std::vector<TickData> ticks(kTicks);
  std::mt19937_64 rng(42);
  std::normal_distribution<double> step(0, 0.0005);
  std::vector<double> price(kSymbols, 100.0);
  for (std::size_t i = 0; i < kTicks; ++i) {
    TickData& t = ticks[i];
    t.symbol = static_cast<SymbolId>(i % kSymbols);
    t.time = kStart + static_cast<TimeMs>(i / 100);
    price[t.symbol] *= 1 + step(rng);
    t.price = price[t.symbol];
    t.quantity = 1 + static_cast<double>(rng() % 100);
  }
  const TimeMs span = static_cast<TimeMs>(kTicks / 100) + 1;

  SymbolTable symbols;
  CountingSink sink;
  Aggregator agg(six_intervals({"1s", "5s", "1m", "5m", "15m", "1h"}), symbols, sink);
  TimeMs offset = 0;
  std::size_t processed = 0;
  for (auto _ : state) {
    for (const TickData& original : ticks) {
      TickData t = original;
      t.time += offset;
      agg.on_tick(t);
    }
    offset += span;
    processed += kTicks;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(processed));
  state.counters["updates_per_tick"] = static_cast<double>(sink.updates) / static_cast<double>(processed);
  state.counters["closed_per_tick"] = static_cast<double>(sink.closed) / static_cast<double>(processed);
}
BENCHMARK(BM_ThousandSymbolsSixIntervals)->Unit(benchmark::kMillisecond);

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string& xrpeth_csv() {
  static const std::string text =
      read_file(TICKD_DATA_DIR "/binance-xrpeth-2019-10/XRPETH-aggTrades-2019-10-11_13.csv");
  return text;
}

// Parses every line of the file in memory; calls `on_trade` for each trade.
template <typename F>
std::size_t for_each_trade(const std::string& text, F&& on_trade) {
  std::string_view rest = text;
  std::size_t count = 0;
  bool first = true;
  while (!rest.empty()) {
    const std::size_t nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (first && is_trade_csv_header(line)) {
      first = false;
      continue;
    }
    first = false;
    ParsedTrade p;
    std::string_view error;
    if (!parse_trade_csv_line(line, TradeCsvFormat::binance_aggtrades, p, error)) continue;
    on_trade(p);
    ++count;
  }
  return count;
}

TickData to_tick(const ParsedTrade& p) {
  TickData t;
  t.time = p.time;
  t.price = p.price;
  t.quantity = p.quantity;
  t.trade_id = p.trade_id;
  t.trade_count = p.trade_count;
  t.side = p.side;
  return t;
}

void BM_ParseXrpethCsv(benchmark::State& state) {
  const std::string& text = xrpeth_csv();
  std::size_t processed = 0;
  for (auto _ : state)
    processed += for_each_trade(text, [](const ParsedTrade& p) { benchmark::DoNotOptimize(p.price); });
  state.SetItemsProcessed(static_cast<std::int64_t>(processed));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseXrpethCsv)->Unit(benchmark::kMicrosecond);

// The real trades, already parsed, through a fresh aggregator per pass with
// six timeframes and gap fill (the comparison with the Python aggregator).
void BM_XrpethAggregate(benchmark::State& state) {
  std::vector<TickData> ticks;
  for_each_trade(xrpeth_csv(), [&](const ParsedTrade& p) { ticks.push_back(to_tick(p)); });
  SymbolTable symbols;
  std::size_t processed = 0;
  for (auto _ : state) {
    state.PauseTiming();
    CountingSink sink;
    AggregatorConfig cfg = six_intervals({"1m", "5m", "15m", "1h", "4h", "1d"});
    cfg.gap_fill = true;
    auto agg = std::make_unique<Aggregator>(cfg, symbols, sink);
    state.ResumeTiming();
    for (const TickData& t : ticks) agg->on_tick(t);
    processed += ticks.size();
    state.PauseTiming();
    agg.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(processed));
}
BENCHMARK(BM_XrpethAggregate)->Unit(benchmark::kMicrosecond);

// Parse + aggregate from the file's bytes: the replay feed's work per trade.
void BM_XrpethParseAndAggregate(benchmark::State& state) {
  const std::string& text = xrpeth_csv();
  SymbolTable symbols;
  std::size_t processed = 0;
  for (auto _ : state) {
    state.PauseTiming();
    CountingSink sink;
    AggregatorConfig cfg = six_intervals({"1m", "5m", "15m", "1h", "4h", "1d"});
    cfg.gap_fill = true;
    auto agg = std::make_unique<Aggregator>(cfg, symbols, sink);
    state.ResumeTiming();
    processed += for_each_trade(text, [&](const ParsedTrade& p) { agg->on_tick(to_tick(p)); });
    state.PauseTiming();
    agg.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(processed));
}
BENCHMARK(BM_XrpethParseAndAggregate)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tickd::core

BENCHMARK_MAIN();
