// Angel One SmartAPI WebSocket V2: binary snapshots of subscribed tokens, and
// history from getCandleData (BinaryBrokerFeed does the life cycle and the
// sharding: 1,000 tokens per connection, 3 connections per client by
// default). The credentials travel in headers (never logged); a text "ping"
// every 30 s keeps each connection alive. On every (re)connect of a shard:
// subscribe its tokens in the configured mode.
#pragma once

#include "feed/indian_broker/binary_broker_feed.hpp"
#include "feed/smartapi/smartapi_decoder.hpp"

#include <memory>
#include <optional>
#include <string>

namespace tickd::core {

class SmartApiHistoryApi;

class SmartApiFeed : public BinaryBrokerFeed {
 public:
  // Throws std::runtime_error when a token file cannot be read.
  SmartApiFeed(const SmartApiConfig& config, boost::asio::io_context& io, SymbolTable& symbols,
               const std::vector<Interval>& intervals = {}, const SessionConfig& session = {});
  ~SmartApiFeed() override;

 private:
  std::unique_ptr<ShardProtocol> shard_protocol(std::size_t first, std::size_t count) override;
  bool refresh_credentials(bool force) override;
  bool has_token_files() const override { return auth_file_.has_value() || feed_file_.has_value(); }
  void ws_target(std::string& url, std::vector<std::pair<std::string, std::string>>& headers) const override;
  std::string auth_token() const { return auth_file_ ? auth_file_->value() : config_.auth_token; }
  std::string feed_token() const { return feed_file_ ? feed_file_->value() : config_.feed_token; }

  SmartApiConfig config_;
  std::optional<TokenFile> auth_file_;
  std::optional<TokenFile> feed_file_;
  std::vector<SmartApiInstrument> instruments_;  // init's order
  SmartApiHistoryApi* history_ = nullptr;        // owned by the base
};

}  // namespace tickd::core
