// Angel One SmartAPI WebSocket V2: binary snapshots of subscribed tokens, and
// history from getCandleData (BinaryBrokerFeed does the life cycle). The
// credentials travel in headers (never logged); a text "ping" every 30 s keeps
// the session alive. On every (re)connect: subscribe in the configured mode.
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
  void subscribe() override { connection().send_text(subscribe_message_); }
  DecodeResult decode(std::string_view payload, bool binary, DecodeError& error) override;
  void reset_decoder() override { decoder_->reset(); }
  bool refresh_credentials(bool force) override;
  bool has_token_files() const override { return auth_file_.has_value() || feed_file_.has_value(); }
  void ws_target(std::string& url, std::vector<std::pair<std::string, std::string>>& headers) const override;
  std::string auth_token() const { return auth_file_ ? auth_file_->value() : config_.auth_token; }
  std::string feed_token() const { return feed_file_ ? feed_file_->value() : config_.feed_token; }

  SmartApiConfig config_;
  std::optional<TokenFile> auth_file_;
  std::optional<TokenFile> feed_file_;
  std::string subscribe_message_;
  std::unique_ptr<SmartApiDecoder> decoder_;
  SmartApiHistoryApi* history_ = nullptr;  // owned by the base
};

}  // namespace tickd::core
