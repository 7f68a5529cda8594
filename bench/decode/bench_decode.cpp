// Decode rates of the broker protocol decoders on recorded (Binance, Kite)
// and spec-built (SmartAPI) messages: one message per iteration.
#include "feed/binance/binance_decoder.hpp"
#include "feed/kite/kite_decoder.hpp"
#include "feed/smartapi/smartapi_decoder.hpp"

#include "binance/binance_capture.hpp"
#include "kite/kite_test_data.hpp"
#include "smartapi/smartapi_encoder.hpp"

#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

namespace {

using namespace tickd::core;

class CountingSink : public DecodedSink {
 public:
  void on_tick(const TickData& tick) override { price_sum += tick.price; }
  void on_exchange_candle(const CandleData& candle) override { price_sum += candle.close; }
  double price_sum = 0;
};

struct BinanceFrames {
  SymbolTable symbols;
  std::vector<std::string> agg_trades, klines, depth;
};

// Every frame of the three recorded captures, sorted by kind (loaded once).
BinanceFrames& binance_frames() {
  static const std::unique_ptr<BinanceFrames> frames = [] {
    auto f = std::make_unique<BinanceFrames>();
    const std::string dir = std::string(TICKD_DATA_DIR) + "/binance-ws-2021/";
    for (const char* file : {"spot-btc-eth-dot-2021-04-04.log", "spot-10-symbols-2021-04-05.log",
                             "usdm-futures-2021-07-22.log"}) {
      auto capture = tickd::core::testing::read_binance_capture(dir + file);
      for (const auto& symbol : capture.symbols) f->symbols.intern(symbol);
      for (auto& frame : capture.frames) {
        if (frame.find("\"e\":\"aggTrade\"") != std::string::npos)
          f->agg_trades.push_back(std::move(frame));
        else if (frame.find("\"e\":\"kline\"") != std::string::npos)
          f->klines.push_back(std::move(frame));
        else if (frame.find("\"e\":\"depthUpdate\"") != std::string::npos)
          f->depth.push_back(std::move(frame));
      }
    }
    return f;
  }();
  return *frames;
}

void run_binance(benchmark::State& state, const std::vector<std::string>& frames) {
  BinanceDecoder decoder(binance_frames().symbols);
  CountingSink sink;
  DecodeError error;
  std::size_t i = 0, bytes = 0, failures = 0;
  for (auto _ : state) {
    const std::string& frame = frames[i];
    failures += decoder.decode(frame, sink, error) == DecodeResult::error;
    bytes += frame.size();
    if (++i == frames.size()) i = 0;
  }
  if (failures) state.SkipWithError("decode errors");
  benchmark::DoNotOptimize(sink.price_sum);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_BinanceAggTrade(benchmark::State& state) { run_binance(state, binance_frames().agg_trades); }
void BM_BinanceKline(benchmark::State& state) { run_binance(state, binance_frames().klines); }
void BM_BinanceDepthIgnored(benchmark::State& state) { run_binance(state, binance_frames().depth); }

// The recorded full (or quote) packet, `packets` times in one frame.
void run_kite(benchmark::State& state, const char* packet_file) {
  const auto packet = tickd::core::testing::kite_recorded_packet(packet_file);
  const auto packets = static_cast<std::size_t>(state.range(0));
  const auto frame =
      tickd::core::testing::kite_frame(std::vector<tickd::core::testing::Bytes>(packets, packet));
  KiteDecoder decoder(std::unordered_map<std::uint32_t, SymbolId>{{408065, 1}});
  CountingSink sink;
  DecodeError error;
  for (auto _ : state) {
    if (decoder.decode_binary(frame.data(), frame.size(), 1625461900000, sink, error) == DecodeResult::error)
      state.SkipWithError("decode error");
  }
  benchmark::DoNotOptimize(sink.price_sum);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(packets));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(frame.size()));
}

void BM_KiteFull(benchmark::State& state) { run_kite(state, "ticker_full.packet"); }
void BM_KiteQuote(benchmark::State& state) { run_kite(state, "ticker_quote.packet"); }

void run_smartapi(benchmark::State& state, std::uint8_t mode) {
  auto spec = tickd::core::testing::reliance_snap_quote();
  spec.mode = mode;
  const auto packet = tickd::core::testing::encode_smartapi_packet(spec);
  SmartApiDecoder decoder({{smartapi_exchange::nse_cm, "2885", 1, 0}});
  CountingSink sink;
  DecodeError error;
  for (auto _ : state) {
    if (decoder.decode_binary(packet.data(), packet.size(), sink, error) == DecodeResult::error)
      state.SkipWithError("decode error");
  }
  benchmark::DoNotOptimize(sink.price_sum);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(packet.size()));
}

void BM_SmartApiLtp(benchmark::State& state) { run_smartapi(state, 1); }
void BM_SmartApiQuote(benchmark::State& state) { run_smartapi(state, 2); }
void BM_SmartApiSnapQuote(benchmark::State& state) { run_smartapi(state, 3); }

}  // namespace

BENCHMARK(BM_BinanceAggTrade);
BENCHMARK(BM_BinanceKline);
BENCHMARK(BM_BinanceDepthIgnored);
BENCHMARK(BM_KiteFull)->Arg(1)->Arg(50);
BENCHMARK(BM_KiteQuote)->Arg(1)->Arg(50);
BENCHMARK(BM_SmartApiLtp);
BENCHMARK(BM_SmartApiQuote);
BENCHMARK(BM_SmartApiSnapQuote);

BENCHMARK_MAIN();
