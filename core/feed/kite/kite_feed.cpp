#include "feed/kite/kite_feed.hpp"

#include "feed/connection/connection_options.hpp"
#include "feed/kite/kite_history.hpp"
#include "feed/kite/kite_messages.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace tickd::core {

namespace {

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

BinaryBrokerFeed::Settings settings_of(const KiteConfig& config, const std::vector<Interval>& intervals,
                                       const SessionConfig& session) {
  return {"kite", config.connection, config.history, intervals, session};
}

}  // namespace

KiteFeed::KiteFeed(const KiteConfig& config, boost::asio::io_context& io, SymbolTable& symbols,
                   const std::vector<Interval>& intervals, const SessionConfig& session)
    : BinaryBrokerFeed(settings_of(config, intervals, session), io), config_(config) {
  if (!config.access_token_file.empty()) {
    token_file_.emplace(config.access_token_file);
    std::string error;
    token_file_->refresh(true, error);
    if (token_file_->value().empty()) throw std::runtime_error("kite: access_token_file: " + error);
  }
  std::vector<HistoryInstrument> instruments;
  for (const auto& [token, name] : config.instruments) {
    auto id = symbols.intern(name);
    if (!id) throw std::runtime_error("kite: symbol table full");
    if (!tokens_.emplace(token, *id).second) continue;
    token_list_.push_back(token);
    instruments.push_back({*id, name, "", std::to_string(token)});
  }
  decoder_ = std::make_unique<KiteDecoder>(tokens_);
  auto api = std::make_unique<KiteHistoryApi>(config.history.rest_url, config.api_key, access_token());
  history_ = api.get();
  WsConnectionOptions options = connection_options("kite", config.connection);
  ws_target(options.url, options.headers);
  options.max_message_bytes = std::min<std::size_t>(options.max_message_bytes, KiteDecoder::kMaxFrameBytes);
  init(std::move(api), std::move(instruments), std::move(options));
}

KiteFeed::~KiteFeed() { stop(); }

void KiteFeed::ws_target(std::string& url, std::vector<std::pair<std::string, std::string>>& headers) const {
  url = config_.connection.url;
  // websocketpp takes everything after host:port up to the first '/' as the
  // port: without a path ("wss://ws.kite.trade") the query would be lost.
  const auto host = url.find("://");
  if (host != std::string::npos && url.find('/', host + 3) == std::string::npos) {
    const auto query = url.find('?', host + 3);
    url.insert(query == std::string::npos ? url.size() : query, "/");
  }
  url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("api_key=") +
         url_encode(config_.api_key) + "&access_token=" + url_encode(access_token());
  headers.clear();
}

bool KiteFeed::refresh_credentials(bool force) {
  std::string error;
  if (!token_file_->refresh(force, error)) {
    if (!error.empty() && force) spdlog::warn("kite: access_token_file: {}", error);
    return false;
  }
  history_->set_access_token(token_file_->value());
  return true;
}

void KiteFeed::subscribe() {
  KiteMode mode = KiteMode::full;
  parse_kite_mode(config_.mode, mode);
  connection().send_text(kite_subscribe_message(token_list_));
  connection().send_text(kite_mode_message(mode, token_list_));
}

DecodeResult KiteFeed::decode(std::string_view payload, bool binary, DecodeError& error) {
  return binary ? decoder_->decode_binary(reinterpret_cast<const std::uint8_t*>(payload.data()),
                                          payload.size(), wall_clock_ms(), *this, error)
                : decoder_->decode_text(payload, *this, error);
}

}  // namespace tickd::core
