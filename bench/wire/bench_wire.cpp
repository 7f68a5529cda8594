// Encode and decode rates of the event wire form (tickd/wire.hpp): what the
// process-observer protocol, NATS and JSON storage pay per event. Candles are
// the real BTCUSDT 1h series (prices and volumes with the exchange's digits),
// ticks the real XRPETH trades: one event per iteration.
#include "btc_series.hpp"

#include <tickd/wire.hpp>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::vector<std::vector<std::string>> read_csv(const std::string& path, std::size_t limit) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(1);
  }
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (rows.size() < limit && std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream s(line);
    for (std::string cell; std::getline(s, cell, ',');) cells.push_back(cell);
    rows.push_back(std::move(cells));
  }
  return rows;
}

const std::vector<tickd::Candle>& candles() {
  static const std::vector<tickd::Candle> out = [] {
    auto v = tickd::strategy::test::load_btc_1h(4096);
    for (std::size_t i = 0; i < v.size(); ++i) {
      tickd::Candle& c = v[i];
      c.vwap = (c.high + c.low + c.close) / 3;  // a full-precision double, as VWAPs are
      c.quote_volume = c.vwap * c.volume;
      c.trade_count = 1000 + i;
    }
    return v;
  }();
  return out;
}

const std::vector<tickd::Tick>& ticks() {
  static const std::vector<tickd::Tick> out = [] {
    std::vector<tickd::Tick> v;
    const std::string path =
        std::string(TICKD_DATA_DIR) + "/binance-xrpeth-2019-10/XRPETH-aggTrades-2019-10-11_13.csv";
    for (const auto& r : read_csv(path, 4096)) {
      tickd::Tick t;
      t.symbol = "XRPETH";
      t.trade_id = std::stoll(r[0]);
      t.price = std::stod(r[1]);
      t.quantity = std::stod(r[2]);
      t.time = std::stoll(r[5]);
      t.side = r[6] == "True" ? tickd::Side::sell : tickd::Side::buy;
      v.push_back(t);
    }
    return v;
  }();
  return out;
}

template <typename Value>
std::vector<std::string> encoded(const std::vector<Value>& values) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::string line;
    tickd::wire::append(line, values[i], i + 1);
    out.push_back(std::move(line));
  }
  return out;
}

template <typename Value>
void encode(benchmark::State& state, const std::vector<Value>& values) {
  std::string out;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    out.clear();
    tickd::wire::append(out, values[i], i + 1);
    bytes += out.size();
    benchmark::DoNotOptimize(out.data());
    if (++i == values.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void decode(benchmark::State& state, const std::vector<std::string>& lines) {
  tickd::wire::Decoder decoder;
  tickd::wire::Event event;
  std::string error;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    if (!decoder.decode(lines[i], event, error)) state.SkipWithError(error.c_str());
    bytes += lines[i].size();
    benchmark::DoNotOptimize(event);
    if (++i == lines.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_EncodeCandle(benchmark::State& state) { encode(state, candles()); }
void BM_DecodeCandle(benchmark::State& state) {
  static const auto lines = encoded(candles());
  decode(state, lines);
}
void BM_EncodeTick(benchmark::State& state) { encode(state, ticks()); }
void BM_DecodeTick(benchmark::State& state) {
  static const auto lines = encoded(ticks());
  decode(state, lines);
}

}  // namespace

BENCHMARK(BM_EncodeCandle);
BENCHMARK(BM_DecodeCandle);
BENCHMARK(BM_EncodeTick);
BENCHMARK(BM_DecodeTick);

BENCHMARK_MAIN();
