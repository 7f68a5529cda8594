#include "feed/smartapi/smartapi_feed.hpp"

#include "feed/connection/connection_options.hpp"
#include "feed/smartapi/smartapi_history.hpp"
#include "feed/smartapi/smartapi_messages.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <stdexcept>

namespace tickd::core {

namespace {

SmartApiMode mode_of(const std::string& name) {
  if (name == "ltp") return SmartApiMode::ltp;
  if (name == "snapquote") return SmartApiMode::snap_quote;
  return SmartApiMode::quote;
}

std::string without_bearer(const std::string& jwt) {
  return jwt.rfind("Bearer ", 0) == 0 ? jwt.substr(7) : jwt;
}

void open_token_file(std::optional<TokenFile>& file, const std::string& path, const char* key) {
  if (path.empty()) return;
  file.emplace(path);
  std::string error;
  file->refresh(true, error);
  if (file->value().empty()) throw std::runtime_error(std::string("smartapi: ") + key + ": " + error);
}

// One connection's tokens: the subscription (one list per exchange type) and
// a decoder that knows them.
class SmartApiShardProtocol final : public ShardProtocol {
 public:
  SmartApiShardProtocol(std::vector<SmartApiInstrument> instruments, SmartApiMode mode)
      : instruments_(std::move(instruments)), decoder_(instruments_), mode_(mode) {}
  std::vector<std::string> subscribe_messages() const override {
    if (instruments_.empty()) return {};
    std::map<int, SmartApiTokenList> lists;
    for (const auto& in : instruments_) {
      auto& list = lists[in.exchange_type];
      list.exchange_type = in.exchange_type;
      list.tokens.push_back(in.token);
    }
    std::vector<SmartApiTokenList> token_lists;
    for (auto& [type, list] : lists) token_lists.push_back(std::move(list));
    return {smartapi_subscription_message(true, mode_, token_lists, "tickd")};
  }
  DecodeResult decode(std::string_view payload, bool binary, DecodedSink& sink, DecodeError& error) override {
    return binary ? decoder_.decode_binary(reinterpret_cast<const std::uint8_t*>(payload.data()),
                                           payload.size(), sink, error)
                  : decoder_.decode_text(payload, sink, error);
  }
  void reset() override { decoder_.reset(); }
  std::string unsubscribe(SymbolId symbol) override {
    for (auto it = instruments_.begin(); it != instruments_.end(); ++it)
      if (it->symbol == symbol) {
        SmartApiTokenList list{it->exchange_type, {it->token}};
        instruments_.erase(it);
        return smartapi_subscription_message(false, mode_, {list}, "tickd");
      }
    return {};
  }

 private:
  std::vector<SmartApiInstrument> instruments_;  // subscribed
  SmartApiDecoder decoder_;                      // built from all of them: late ticks still decode
  SmartApiMode mode_;
};

}  // namespace

SmartApiFeed::SmartApiFeed(const SmartApiConfig& config, boost::asio::io_context& io, SymbolTable& symbols,
                           const std::vector<Interval>& intervals, const SessionConfig& session)
    : BinaryBrokerFeed({"smartapi", config.connection, config.history, config.sharding, intervals, session},
                       io),
      config_(config) {
  open_token_file(auth_file_, config.auth_token_file, "auth_token_file");
  open_token_file(feed_file_, config.feed_token_file, "feed_token_file");
  std::vector<HistoryInstrument> history;
  for (const auto& t : config.tokens) {
    auto id = symbols.intern(t.symbol);
    if (!id) throw std::runtime_error("smartapi: symbol table full");
    SmartApiInstrument in;
    in.exchange_type = static_cast<std::uint8_t>(t.exchange_type);
    in.token = t.token;
    in.symbol = *id;
    instruments_.push_back(in);
    history.push_back({*id, t.symbol, smartapi_exchange_name(t.exchange_type), t.token});
  }

  auto api = std::make_unique<SmartApiHistoryApi>(config.history.rest_url, config.api_key,
                                                  without_bearer(auth_token()));
  history_ = api.get();
  WsConnectionOptions options = connection_options("smartapi", config.connection);
  ws_target(options.url, options.headers);
  options.heartbeat_text = std::string(kSmartApiHeartbeat);
  options.heartbeat_ms = config.heartbeat_ms;
  init(std::move(api), std::move(history), std::move(options));
}

SmartApiFeed::~SmartApiFeed() { stop(); }

void SmartApiFeed::ws_target(std::string& url,
                             std::vector<std::pair<std::string, std::string>>& headers) const {
  url = config_.connection.url;
  const std::string jwt = auth_token();
  const bool bearer = jwt.rfind("Bearer ", 0) == 0;
  headers = {{"Authorization", bearer ? jwt : "Bearer " + jwt},
             {"x-api-key", config_.api_key},
             {"x-client-code", config_.client_code},
             {"x-feed-token", feed_token()}};
}

bool SmartApiFeed::refresh_credentials(bool force) {
  bool changed = false;
  for (auto* file : {&auth_file_, &feed_file_}) {
    if (!*file) continue;
    std::string error;
    changed |= (*file)->refresh(force, error);
    if (!error.empty() && force) spdlog::warn("smartapi: {}", error);
  }
  if (changed) history_->set_jwt(without_bearer(auth_token()));
  return changed;
}

std::unique_ptr<ShardProtocol> SmartApiFeed::shard_protocol(std::size_t first, std::size_t count) {
  std::vector<SmartApiInstrument> mine(instruments_.begin() + static_cast<std::ptrdiff_t>(first),
                                       instruments_.begin() + static_cast<std::ptrdiff_t>(first + count));
  return std::make_unique<SmartApiShardProtocol>(std::move(mine), mode_of(config_.mode));
}

}  // namespace tickd::core
