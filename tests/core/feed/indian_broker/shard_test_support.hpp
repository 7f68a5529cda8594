// What the broker shard tests share: a Kite config for a local server, a
// sink that records each instrument's ticks and backfilled candles, and an
// io_context runner.
#pragma once

#include "config/config.hpp"
#include "feed/feed.hpp"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace tickd::core::testing {

// Kite tokens end in their segment byte: 1 = NSE (prices in paise).
inline std::uint32_t token_of(std::size_t i) { return static_cast<std::uint32_t>((i + 1) << 8 | 1); }

inline KiteConfig kite_config(int port, std::size_t instruments) {
  KiteConfig c;
  c.connection.url = "ws://127.0.0.1:" + std::to_string(port);
  c.connection.reconnect_initial_ms = 100;
  c.connection.reconnect_max_ms = 300;
  c.history.rest_url = "http://127.0.0.1:" + std::to_string(port);
  c.history.bootstrap_candles = 0;
  c.history.backfill = false;
  c.api_key = "key";
  c.access_token = "token";
  c.mode = "ltp";
  for (std::size_t i = 0; i < instruments; ++i)
    c.instruments.emplace_back(token_of(i), "NSE:S" + std::to_string(i));
  return c;
}

// Every tick's price (rupees = round + 1), and every backfilled candle, per symbol.
class RoundsSink : public FeedSink {
 public:
  void on_tick(const TickData& t) override {
    if (rounds.size() <= t.symbol) rounds.resize(t.symbol + 1);
    rounds[t.symbol].push_back(static_cast<int>(t.price));
    ++ticks;
  }
  void on_backfill_candle(const CandleData& c) override { backfilled[c.symbol].push_back(c.open_time); }
  std::vector<std::vector<int>> rounds;
  std::map<SymbolId, std::vector<TimeMs>> backfilled;
  std::size_t ticks = 0;
};

inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::seconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!done() && std::chrono::steady_clock::now() < until) io.run_for(std::chrono::milliseconds(10));
  return done();
}

}  // namespace tickd::core::testing
