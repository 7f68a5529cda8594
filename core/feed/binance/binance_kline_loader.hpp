// Closed klines of one symbol and interval over Binance REST, page by page,
// without blocking the feed thread (HttpFetcher).
#pragma once

#include "feed/connection/http_fetcher.hpp"
#include "model/market_data.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tickd::core {

struct KlineRequest {
  std::string symbol;  // as Binance spells it, e.g. BTCUSDT
  SymbolId id = 0;
  std::int32_t interval_s = 60;
  TimeMs start = -1;  // open time of the first wanted kline; < 0 = the latest `limit`
  TimeMs end = -1;    // exclusive: klines opening at or after it are not wanted; < 0 = now
  int limit = 1000;   // at most this many klines in all
};

class BinanceKlineLoader {
 public:
  using Done = std::function<void(std::vector<CandleData> closed, std::string error)>;

  BinanceKlineLoader(HttpFetcher& http, std::string rest_url) : http_(http), rest_url_(std::move(rest_url)) {}

  // `done` gets only closed klines, oldest first, and runs on the io thread.
  void load(const KlineRequest& request, Done done);

 private:
  struct Job;
  void next_page(std::shared_ptr<Job> job);

  HttpFetcher& http_;
  std::string rest_url_;
};

}  // namespace tickd::core
