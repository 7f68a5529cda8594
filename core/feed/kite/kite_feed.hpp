// Zerodha Kite Connect: the ticker's binary snapshots of subscribed instrument
// tokens, and history from GET /instruments/historical (BinaryBrokerFeed does
// the life cycle and the sharding: 3,000 instruments per connection, 3
// connections per API key by default). The URL carries api_key and
// access_token (the protocol's way to log in), so it is logged without its
// query. On every (re)connect of a shard: subscribe + mode for its tokens.
#pragma once

#include "feed/indian_broker/binary_broker_feed.hpp"

#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace tickd::core {

class KiteHistoryApi;

class KiteFeed : public BinaryBrokerFeed {
 public:
  // `config.instruments` holds every instrument, those named in feed.symbols
  // included (feed/indian_broker/instrument_names.hpp resolved them). Throws
  // std::runtime_error when access_token_file cannot be read.
  KiteFeed(const KiteConfig& config, boost::asio::io_context& io, SymbolTable& symbols,
           const std::vector<Interval>& intervals = {}, const SessionConfig& session = {});
  ~KiteFeed() override;

 private:
  std::unique_ptr<ShardProtocol> shard_protocol(std::size_t first, std::size_t count) override;
  bool refresh_credentials(bool force) override;
  bool has_token_files() const override { return token_file_.has_value(); }
  void ws_target(std::string& url, std::vector<std::pair<std::string, std::string>>& headers) const override;
  std::string access_token() const { return token_file_ ? token_file_->value() : config_.access_token; }

  KiteConfig config_;
  std::optional<TokenFile> token_file_;
  std::vector<std::pair<std::uint32_t, SymbolId>> tokens_;  // init's order, unique
  KiteHistoryApi* history_ = nullptr;                       // owned by the base
};

}  // namespace tickd::core
