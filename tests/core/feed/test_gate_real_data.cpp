// Every real data set passes the gate unchanged with its defaults: the trade
// files through the replay feed, the recorded Binance frames through the
// decoder as a live feed would, and the exchanges' own candles as candles.
#include "feed/binance/binance_decoder.hpp"
#include "feed/replay/replay_feed.hpp"
#include "gate_test_support.hpp"

#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <fstream>
#include <sstream>

namespace tickd::core {
namespace {

using namespace testing;

const std::string kData = TICKD_DATA_DIR;

// Kraken's and Databento's trade files have more columns than the replay's
// Binance layouts take: their time, price and quantity, unchanged, go into
// the generic layout (time,symbol,price,qty).
std::string as_generic(const test_support::TempDir& dir, const std::string& path) {
  std::ifstream in(path);
  const std::string out_path = dir.file("generic.csv");
  std::ofstream out(out_path);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string f[5];
    for (auto& v : f) std::getline(fields, v, ',');
    out << f[4] << ",SYM," << f[1] << ',' << f[2] << '\n';
  }
  return out_path;
}

struct TradeFile {
  const char* path;
  const char* format;
  std::size_t rows;
};

const TradeFile kTradeFiles[] = {
    {"/binance-xrpeth-2019-10/XRPETH-aggTrades-2019-10-11_13.csv", "binance_aggtrades", 12477},
    {"/kraken-xbtusdt-2025-11/trades.csv", "generic", 1000},
    {"/databento-cme-esu4-2024-07/trades.csv", "generic", 120},
};

TEST(GateRealData, EveryRecordedTradePassesTheReplayGate) {
  for (const auto& file : kTradeFiles) {
    SCOPED_TRACE(file.path);
    test_support::TempDir dir;
    const std::string format = file.format;
    ReplayConfig config;
    config.files.push_back(
        {format == "generic" ? as_generic(dir, kData + file.path) : kData + file.path, format, "SYM"});
    boost::asio::io_context io;
    SymbolTable symbols;
    ReplayFeed feed(config, io, symbols);
    PassedSink sink;
    TickGate gate(GateConfig{}, symbols, sink);
    gate.attach(feed);
    feed.start(gate);
    io.run();
    EXPECT_TRUE(sink.ended);
    EXPECT_EQ(feed.stats().decode_errors, 0u);
    EXPECT_EQ(gate.stats().total(), 0u);
    EXPECT_EQ(sink.ticks.size(), file.rows);
    EXPECT_EQ(feed.stats().ticks, file.rows);
  }
}

class DecodedToGate : public DecodedSink {
 public:
  explicit DecodedToGate(TickGate& gate) : gate_(gate) {}
  void on_tick(const TickData& tick) override { gate_.on_tick(tick); }
  void on_exchange_candle(const CandleData& candle) override { gate_.on_exchange_candle(candle); }

 private:
  TickGate& gate_;
};

TEST(GateRealData, EveryRecordedBinanceFramePassesTheLiveGate) {
  for (const char* name :
       {"spot-btc-eth-dot-2021-04-04.log", "spot-10-symbols-2021-04-05.log", "usdm-futures-2021-07-22.log"}) {
    SCOPED_TRACE(name);
    std::ifstream in(kData + "/binance-ws-2021/" + name);
    ASSERT_TRUE(in);
    std::vector<std::string> frames;
    SymbolTable symbols;
    for (std::string line; std::getline(in, line);) {
      const auto colon = line.find(": {");
      if (colon == std::string::npos || line.rfind("http", 0) == 0) continue;
      frames.push_back(line.substr(colon + 2));
      // Every symbol the capture names, so that no frame fails for that.
      const auto s = frames.back().find("\"s\":\"");
      if (s != std::string::npos) {
        const auto end = frames.back().find('"', s + 5);
        symbols.intern(frames.back().substr(s + 5, end - s - 5));
      }
    }
    PassedSink sink;
    ClockOnlyFeed feed(false);
    // Recorded in 2021: the live broker feeds' default max_behind (a day)
    // rejects them by design (test_live_max_behind); every other rule as set
    // by default.
    GateConfig live;
    live.max_behind_ms = 0;
    TickGate gate(live, symbols, sink);
    gate.attach(feed);
    BinanceDecoder decoder(symbols);
    DecodedToGate to_gate(gate);
    std::size_t decoded = 0;
    for (const auto& frame : frames) {
      DecodeError error;
      decoded += decoder.decode(frame, to_gate, error) == DecodeResult::ok;
    }
    EXPECT_GT(decoded, 0u);
    EXPECT_GT(sink.ticks.size(), 0u);
    EXPECT_EQ(gate.stats().total(), 0u);
  }
}

// open_time(ms),open,high,low,close,volume[,...] with a header line.
std::vector<CandleData> read_klines(const std::string& path) {
  std::ifstream in(path);
  std::vector<CandleData> out;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string f[6];
    for (auto& v : f) std::getline(fields, v, ',');
    CandleData c;
    c.interval_s = 60;
    c.open_time = std::stoll(f[0]);
    c.open = std::stod(f[1]);
    c.high = std::stod(f[2]);
    c.low = std::stod(f[3]);
    c.close = std::stod(f[4]);
    c.volume = std::stod(f[5]);
    c.flags = TICKD_CANDLE_CLOSED;
    out.push_back(c);
  }
  return out;
}

TEST(GateRealData, EveryRecordedExchangeCandlePassesTheGate) {
  std::size_t total = 0;
  for (const char* path :
       {"/binance-xrpeth-2019-10/XRPETH-1m-2019-10-11_13.csv",
        "/binance-xrpeth-2019-10/XRPETH-5m-2019-10-11_13.csv", "/btcusdt-1h/BTCUSDT-1h-2017-2023.csv",
        "/kraken-xbtusdt-2025-11/klines-1m.csv", "/databento-cme-esu4-2024-07/klines-1m.csv",
        "/databento-cme-esu4-2024-07/klines-1m-nqu4.csv"}) {
    SCOPED_TRACE(path);
    const auto klines = read_klines(kData + path);
    ASSERT_FALSE(klines.empty());
    SymbolTable symbols;
    PassedSink sink;
    ClockOnlyFeed feed(false);
    // Recorded in 2021: the live broker feeds' default max_behind (a day)
    // rejects them by design (test_live_max_behind); every other rule as set
    // by default.
    GateConfig live;
    live.max_behind_ms = 0;
    TickGate gate(live, symbols, sink);
    gate.attach(feed);
    for (const auto& k : klines) gate.on_exchange_candle(k);
    EXPECT_EQ(gate.stats().total(), 0u);
    EXPECT_EQ(sink.candles.size(), klines.size());
    total += klines.size();
  }
  EXPECT_GT(total, 55000u);
}

}  // namespace
}  // namespace tickd::core
