#include "feed/smartapi/smartapi_feed.hpp"

#include "feed/connection/connection_options.hpp"
#include "feed/smartapi/smartapi_messages.hpp"

#include <map>
#include <stdexcept>

namespace tickd::core {

namespace {

SmartApiMode mode_of(const std::string& name) {
  if (name == "ltp") return SmartApiMode::ltp;
  if (name == "snapquote") return SmartApiMode::snap_quote;
  return SmartApiMode::quote;
}

}  // namespace

SmartApiFeed::SmartApiFeed(const SmartApiConfig& config, boost::asio::io_context& io, SymbolTable& symbols)
    : config_(config) {
  std::vector<SmartApiInstrument> instruments;
  std::map<int, SmartApiTokenList> lists;
  for (const auto& t : config.tokens) {
    auto id = symbols.intern(t.symbol);
    if (!id) throw std::runtime_error("smartapi: symbol table full");
    SmartApiInstrument in;
    in.exchange_type = static_cast<std::uint8_t>(t.exchange_type);
    in.token = t.token;
    in.symbol = *id;
    instruments.push_back(in);
    auto& list = lists[t.exchange_type];
    list.exchange_type = static_cast<std::uint8_t>(t.exchange_type);
    list.tokens.push_back(t.token);
  }
  std::vector<SmartApiTokenList> token_lists;
  for (auto& [type, list] : lists) token_lists.push_back(std::move(list));
  subscribe_message_ = smartapi_subscription_message(true, mode_of(config.mode), token_lists, "tickd");
  decoder_ = std::make_unique<SmartApiDecoder>(instruments);

  WsConnectionOptions options = connection_options("smartapi", config.connection);
  const bool bearer = config.auth_token.rfind("Bearer ", 0) == 0;
  options.headers = {{"Authorization", bearer ? config.auth_token : "Bearer " + config.auth_token},
                     {"x-api-key", config.api_key},
                     {"x-client-code", config.client_code},
                     {"x-feed-token", config.feed_token}};
  options.heartbeat_text = std::string(kSmartApiHeartbeat);
  options.heartbeat_ms = config.heartbeat_ms;
  WsConnection::Handlers handlers;
  handlers.on_open = [this] { connection_->send_text(subscribe_message_); };
  handlers.on_lost = [this] { decoder_->reset(); };
  handlers.on_message = [this](std::string_view payload, bool binary) { on_message(payload, binary); };
  connection_ = std::make_unique<WsConnection>(io, std::move(options), std::move(handlers));
}

void SmartApiFeed::start(TickSink& sink) {
  sink_ = &sink;
  connection_->start();
}

void SmartApiFeed::stop() {
  stopped_ = true;
  connection_->stop();
}

void SmartApiFeed::on_message(std::string_view payload, bool binary) {
  DecodeError error{"unknown"};
  const DecodeResult r = binary
                             ? decoder_->decode_binary(reinterpret_cast<const std::uint8_t*>(payload.data()),
                                                       payload.size(), *this, error)
                             : decoder_->decode_text(payload, *this, error);
  if (r == DecodeResult::error) counters_.decode_error(error, payload);
}

void SmartApiFeed::on_tick(const TickData& tick) {
  counters_.tick();
  sink_->on_tick(tick);
}

FeedStats SmartApiFeed::stats() const {
  FeedStats s = counters_.stats(*connection_);
  const ConnectionState state = connection_->state();
  s.state = stopped_ ? "stopped" : state == ConnectionState::open ? "live" : to_string(state);
  return s;
}

}  // namespace tickd::core
