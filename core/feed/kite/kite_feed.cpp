#include "feed/kite/kite_feed.hpp"

#include "feed/connection/connection_options.hpp"
#include "feed/kite/kite_decoder.hpp"
#include "feed/kite/kite_history.hpp"
#include "feed/kite/kite_messages.hpp"

#include <tickd/url_path.hpp>

#include <spdlog/spdlog.h>

#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace tickd::core {

namespace {

// A query value: RFC 3986's unreserved bytes kept, the rest %XX.
std::string url_encode(const std::string& s) {
  return percent_encode(
      s, [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~'; });
}

BinaryBrokerFeed::Settings settings_of(const KiteConfig& config, const std::vector<Interval>& intervals,
                                       const SessionConfig& session) {
  return {"kite", config.connection, config.history, config.sharding, intervals, session};
}

// One connection's tokens: subscribe + mode, and a decoder that knows them.
class KiteShardProtocol final : public ShardProtocol {
 public:
  KiteShardProtocol(const std::vector<std::pair<std::uint32_t, SymbolId>>& tokens, KiteMode mode)
      : map_(tokens.begin(), tokens.end()), decoder_(map_), mode_(mode) {
    for (const auto& t : tokens) list_.push_back(t.first);
  }
  std::vector<std::string> subscribe_messages() const override {
    if (list_.empty()) return {};
    return {kite_subscribe_message(list_), kite_mode_message(mode_, list_)};
  }
  DecodeResult decode(std::string_view payload, bool binary, DecodedSink& sink, DecodeError& error) override {
    return binary ? decoder_.decode_binary(reinterpret_cast<const std::uint8_t*>(payload.data()),
                                           payload.size(), Feed::wall_clock_ms(), sink, error)
                  : decoder_.decode_text(payload, sink, error);
  }
  void reset() override { decoder_.reset(); }
  std::string unsubscribe(SymbolId symbol) override {
    for (auto it = list_.begin(); it != list_.end(); ++it)
      if (map_.at(*it) == symbol) {
        const std::uint32_t token = *it;
        list_.erase(it);
        return kite_unsubscribe_message({token});
      }
    return {};
  }

 private:
  std::unordered_map<std::uint32_t, SymbolId> map_;
  KiteDecoder decoder_;
  KiteMode mode_;
  std::vector<std::uint32_t> list_;  // subscribed
};

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
  std::unordered_set<std::uint32_t> seen;
  for (const auto& [token, name] : config.instruments) {
    auto id = symbols.intern(name);
    if (!id) throw std::runtime_error("kite: symbol table full");
    if (!seen.insert(token).second) continue;
    tokens_.emplace_back(token, *id);
    instruments.push_back({*id, name, "", std::to_string(token)});
  }
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

std::unique_ptr<ShardProtocol> KiteFeed::shard_protocol(std::size_t first, std::size_t count) {
  KiteMode mode = KiteMode::full;
  parse_kite_mode(config_.mode, mode);
  const std::vector<std::pair<std::uint32_t, SymbolId>> mine(
      tokens_.begin() + static_cast<std::ptrdiff_t>(first),
      tokens_.begin() + static_cast<std::ptrdiff_t>(first + count));
  return std::make_unique<KiteShardProtocol>(mine, mode);
}

}  // namespace tickd::core
