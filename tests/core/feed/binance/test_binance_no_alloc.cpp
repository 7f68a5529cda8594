// After warm-up, decoding allocates nothing: checked by counting every call
// of the global operator new while the recorded captures are decoded again.
#include "feed/binance/binance_decoder.hpp"

#include "binance_capture.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

namespace {
std::atomic<bool> g_counting{false};
std::atomic<std::size_t> g_allocations{0};
}  // namespace

// GCC cannot see that these replacements pair malloc with free.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t size) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return ::operator new(size); }
// simdjson allocates with the nothrow forms: they must pair with the free() below too.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return ::operator new(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return ::operator new(size, tag);
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace tickd::core {
namespace {

// Counts without storing: a sink that allocated would hide the decoder's own allocations.
class CountingSink : public DecodedSink {
 public:
  void on_tick(const TickData&) override { ++ticks; }
  void on_exchange_candle(const CandleData&) override { ++candles; }
  void on_notice(std::string_view) override { ++notices; }
  std::size_t ticks = 0, candles = 0, notices = 0;
};

TEST(BinanceDecoderAllocation, NoAllocationPerMessageAfterWarmUp) {
  const std::string dir = std::string(TICKD_DATA_DIR) + "/binance-ws-2021/";
  std::vector<testing::BinanceCapture> captures;
  for (const char* file :
       {"spot-btc-eth-dot-2021-04-04.log", "spot-10-symbols-2021-04-05.log", "usdm-futures-2021-07-22.log"})
    captures.push_back(testing::read_binance_capture(dir + file));
  SymbolTable symbols;
  for (const auto& capture : captures)
    for (const auto& symbol : capture.symbols) symbols.intern(symbol);
  BinanceDecoder decoder(symbols);
  CountingSink sink;
  DecodeError error;
  auto decode_all = [&] {
    for (const auto& capture : captures)
      for (const auto& frame : capture.frames) decoder.decode(frame, sink, error);
  };
  decode_all();  // warm-up: symbol cache, largest frame
  const std::size_t warm_ticks = sink.ticks;
  ASSERT_GT(warm_ticks, 3000u);

  g_allocations = 0;
  g_counting = true;
  decode_all();
  g_counting = false;
  EXPECT_EQ(g_allocations.load(), 0u);
  EXPECT_EQ(sink.ticks, 2 * warm_ticks);
}

}  // namespace
}  // namespace tickd::core
