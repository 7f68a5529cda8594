// Zerodha Kite Connect: the ticker's binary snapshots of subscribed instrument
// tokens, and history from GET /instruments/historical (BinaryBrokerFeed does
// the life cycle). The URL carries api_key and access_token (the protocol's
// way to log in), so it is logged without its query. On every (re)connect:
// subscribe + mode.
#pragma once

#include "feed/indian_broker/binary_broker_feed.hpp"
#include "feed/kite/kite_decoder.hpp"

#include <memory>
#include <optional>
#include <unordered_map>
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
  void subscribe() override;
  DecodeResult decode(std::string_view payload, bool binary, DecodeError& error) override;
  void reset_decoder() override { decoder_->reset(); }
  bool refresh_credentials(bool force) override;
  bool has_token_files() const override { return token_file_.has_value(); }
  void ws_target(std::string& url, std::vector<std::pair<std::string, std::string>>& headers) const override;
  std::string access_token() const { return token_file_ ? token_file_->value() : config_.access_token; }

  KiteConfig config_;
  std::optional<TokenFile> token_file_;
  std::unordered_map<std::uint32_t, SymbolId> tokens_;
  std::vector<std::uint32_t> token_list_;
  std::unique_ptr<KiteDecoder> decoder_;
  KiteHistoryApi* history_ = nullptr;  // owned by the base
};

}  // namespace tickd::core
