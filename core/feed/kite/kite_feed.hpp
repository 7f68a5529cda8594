// Zerodha Kite Connect ticker: binary snapshots of subscribed instrument tokens.
// The URL carries api_key and access_token (the protocol's way to log in), so
// it is logged without its query. On every (re)connect: subscribe + mode.
#pragma once

#include "config/config.hpp"
#include "feed/broker/broker_counters.hpp"
#include "feed/connection/ws_connection.hpp"
#include "feed/feed.hpp"
#include "feed/kite/kite_decoder.hpp"

#include <memory>
#include <unordered_map>
#include <vector>

namespace tickd::core {

class KiteFeed : public Feed, private DecodedSink {
 public:
  // Throws std::runtime_error when instruments_csv cannot be read or lacks a
  // configured symbol.
  KiteFeed(const KiteConfig& config, boost::asio::io_context& io, SymbolTable& symbols,
           const std::vector<std::string>& csv_symbols = {});

  void start(TickSink& sink) override;
  void stop() override;
  FeedStats stats() const override;

 private:
  void on_tick(const TickData& tick) override;
  void on_exchange_candle(const CandleData&) override {}
  void on_notice(std::string_view text) override { counters_.notice(text); }
  void on_message(std::string_view payload, bool binary);

  KiteConfig config_;
  std::unordered_map<std::uint32_t, SymbolId> tokens_;
  std::vector<std::uint32_t> token_list_;
  std::unique_ptr<KiteDecoder> decoder_;
  BrokerCounters counters_{"kite"};
  std::unique_ptr<WsConnection> connection_;
  TickSink* sink_ = nullptr;
  bool stopped_ = false;
};

}  // namespace tickd::core
