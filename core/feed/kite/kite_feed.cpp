#include "feed/kite/kite_feed.hpp"

#include "feed/connection/connection_options.hpp"
#include "feed/kite/kite_messages.hpp"

#include <fstream>
#include <sstream>
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

// token -> symbol from the config, or from the instruments CSV for `wanted`.
std::vector<std::pair<std::uint32_t, std::string>> instrument_map(const KiteConfig& config,
                                                                  const std::vector<std::string>& wanted) {
  if (config.instruments_csv.empty()) return config.instruments;
  std::ifstream in(config.instruments_csv);
  if (!in) throw std::runtime_error("kite: cannot read instruments_csv " + config.instruments_csv);
  std::stringstream text;
  text << in.rdbuf();
  std::vector<KiteInstrument> rows;
  std::string error;
  if (!parse_kite_instruments_csv(text.str(), rows, error))
    throw std::runtime_error("kite: " + config.instruments_csv + ": " + error);
  auto out = config.instruments;
  for (const auto& name : wanted) {
    bool found = false;
    for (const auto& row : rows)
      if (row.qualified_name() == name || row.tradingsymbol == name) {
        out.emplace_back(row.instrument_token, name);
        found = true;
        break;
      }
    if (!found) throw std::runtime_error("kite: symbol " + name + " is not in " + config.instruments_csv);
  }
  return out;
}

}  // namespace

KiteFeed::KiteFeed(const KiteConfig& config, boost::asio::io_context& io, SymbolTable& symbols,
                   const std::vector<std::string>& csv_symbols)
    : config_(config) {
  for (const auto& [token, name] : instrument_map(config, csv_symbols)) {
    auto id = symbols.intern(name);
    if (!id) throw std::runtime_error("kite: symbol table full");
    if (tokens_.emplace(token, *id).second) token_list_.push_back(token);
  }
  decoder_ = std::make_unique<KiteDecoder>(tokens_);
  WsConnectionOptions options = connection_options("kite", config.connection);
  options.url += (options.url.find('?') == std::string::npos ? "?" : "&") + std::string("api_key=") +
                 url_encode(config.api_key) + "&access_token=" + url_encode(config.access_token);
  options.max_message_bytes = std::min<std::size_t>(options.max_message_bytes, KiteDecoder::kMaxFrameBytes);
  WsConnection::Handlers handlers;
  handlers.on_open = [this] {
    KiteMode mode = KiteMode::full;
    parse_kite_mode(config_.mode, mode);
    connection_->send_text(kite_subscribe_message(token_list_));
    connection_->send_text(kite_mode_message(mode, token_list_));
  };
  // Volumes seen before the outage say nothing about the trades during it.
  handlers.on_lost = [this] { decoder_->reset(); };
  handlers.on_message = [this](std::string_view payload, bool binary) { on_message(payload, binary); };
  connection_ = std::make_unique<WsConnection>(io, std::move(options), std::move(handlers));
}

void KiteFeed::start(TickSink& sink) {
  sink_ = &sink;
  connection_->start();
}

void KiteFeed::stop() {
  stopped_ = true;
  connection_->stop();
}

void KiteFeed::on_message(std::string_view payload, bool binary) {
  DecodeError error{"unknown"};
  const DecodeResult r = binary
                             ? decoder_->decode_binary(reinterpret_cast<const std::uint8_t*>(payload.data()),
                                                       payload.size(), wall_clock_ms(), *this, error)
                             : decoder_->decode_text(payload, *this, error);
  if (r == DecodeResult::error) counters_.decode_error(error, payload);
}

void KiteFeed::on_tick(const TickData& tick) {
  counters_.tick();
  sink_->on_tick(tick);
}

FeedStats KiteFeed::stats() const {
  FeedStats s = counters_.stats(*connection_);
  const ConnectionState state = connection_->state();
  s.state = stopped_ ? "stopped" : state == ConnectionState::open ? "live" : to_string(state);
  return s;
}

}  // namespace tickd::core
