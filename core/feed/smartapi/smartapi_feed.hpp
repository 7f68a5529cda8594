// Angel One SmartAPI WebSocket V2: binary snapshots of subscribed tokens. The
// credentials travel in headers (never logged); a text "ping" every 30 s keeps
// the session alive. On every (re)connect: subscribe in the configured mode.
#pragma once

#include "config/config.hpp"
#include "feed/broker/broker_counters.hpp"
#include "feed/connection/ws_connection.hpp"
#include "feed/feed.hpp"
#include "feed/smartapi/smartapi_decoder.hpp"

#include <memory>
#include <string>

namespace tickd::core {

class SmartApiFeed : public Feed, private DecodedSink {
 public:
  SmartApiFeed(const SmartApiConfig& config, boost::asio::io_context& io, SymbolTable& symbols);

  void start(TickSink& sink) override;
  void stop() override;
  FeedStats stats() const override;

 private:
  void on_tick(const TickData& tick) override;
  void on_exchange_candle(const CandleData&) override {}
  void on_notice(std::string_view text) override { counters_.notice(text); }
  void on_message(std::string_view payload, bool binary);

  SmartApiConfig config_;
  std::string subscribe_message_;
  std::unique_ptr<SmartApiDecoder> decoder_;
  BrokerCounters counters_{"smartapi"};
  std::unique_ptr<WsConnection> connection_;
  TickSink* sink_ = nullptr;
  bool stopped_ = false;
};

}  // namespace tickd::core
