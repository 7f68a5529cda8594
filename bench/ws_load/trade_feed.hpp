// The load tool's side of the market: a Binance-like combined-stream WebSocket
// server that the daemon's binance feed connects to. It plays aggTrades at a
// fixed rate and remembers when it sent each one, so a client that receives a
// candle can tell how long ago the tick behind that candle left the exchange.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tickd::bench {

class TradeFeed {
 public:
  // Listens on 127.0.0.1:port; plays `ticks_per_second` trades in total,
  // each for a symbol drawn at random, to every connected client.
  TradeFeed(std::uint16_t port, std::vector<std::string> symbols, double ticks_per_second);
  ~TradeFeed();
  TradeFeed(const TradeFeed&) = delete;
  TradeFeed& operator=(const TradeFeed&) = delete;

  int connections() const;
  std::uint64_t trades_sent() const;

  // The price of a symbol's n-th trade encodes n, so a candle's close names
  // the last trade in it. Steady-clock time that trade was sent, in ms; false
  // when the price is not one this feed sent (recently).
  bool sent_at(std::size_t symbol, double price, double& ms) const;
  // Index of a symbol in the list, or -1.
  int symbol_index(const char* name, std::size_t length) const;

  static double steady_ms() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tickd::bench
