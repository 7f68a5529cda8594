#include "feed/smartapi/smartapi_decoder.hpp"

#include <cstring>

namespace tickd::core {
namespace {

DecodeResult fail(DecodeError& error, std::string_view reason) {
  error.reason = reason;
  return DecodeResult::error;
}

}  // namespace

std::size_t SmartApiDecoder::KeyHash::operator()(const Key& key) const {
  // FNV-1a over the exchange type and the padded token.
  std::uint64_t hash = 14695981039346656037ull;
  auto mix = [&hash](unsigned char byte) {
    hash ^= byte;
    hash *= 1099511628211ull;
  };
  mix(key.exchange_type);
  for (char c : key.token) mix(static_cast<unsigned char>(c));
  return static_cast<std::size_t>(hash);
}

SmartApiDecoder::SmartApiDecoder(const std::vector<SmartApiInstrument>& instruments) {
  instruments_.reserve(instruments.size());
  for (const auto& instrument : instruments) {
    if (instrument.token.empty() || instrument.token.size() > kSmartApiTokenBytes) continue;
    Key key;
    key.exchange_type = instrument.exchange_type;
    std::memcpy(key.token.data(), instrument.token.data(), instrument.token.size());
    State& state = instruments_[key];
    state.symbol = instrument.symbol;
    state.price_divisor = instrument.price_divisor > 0
                              ? instrument.price_divisor
                              : smartapi_default_price_divisor(instrument.exchange_type);
  }
}

DecodeResult SmartApiDecoder::decode_binary(const std::uint8_t* data, std::size_t size, DecodedSink& sink,
                                            DecodeError& error) {
  if (size > kMaxPacketBytes) return fail(error, "packet too large");
  SmartApiPacket packet;
  std::string_view problem;
  if (!decode_smartapi_packet(data, size, 0, packet, problem)) return fail(error, problem);

  Key key;
  key.exchange_type = packet.exchange_type;
  std::memcpy(key.token.data(), packet.token.data(), packet.token.size());
  auto it = instruments_.find(key);
  if (it == instruments_.end()) return fail(error, "unknown instrument token");
  State& state = it->second;
  if (state.price_divisor != smartapi_default_price_divisor(packet.exchange_type) &&
      !decode_smartapi_packet(data, size, state.price_divisor, packet, problem))
    return fail(error, problem);
  if (packet.exchange_timestamp <= 0) return fail(error, "bad exchange timestamp");
  // A price of 0 means "no trade yet today"; it is not a price.
  if (packet.last_traded_price == 0) return DecodeResult::ok;

  TickData tick;
  tick.symbol = state.symbol;
  tick.time = packet.exchange_timestamp;
  tick.price = packet.last_traded_price;
  tick.trade_id = -1;
  tick.trade_count = 1;
  tick.side = Side::unknown;
  if (!packet.has_volume()) {
    tick.quantity = 0;
    sink.on_tick(tick);
    return DecodeResult::ok;
  }
  if (packet.volume < 0) return fail(error, "negative volume");
  if (!state.seen) {
    tick.quantity = static_cast<double>(packet.last_traded_quantity);
  } else if (packet.volume > state.last_volume) {
    tick.quantity = static_cast<double>(packet.volume - state.last_volume);
  } else if (packet.volume < state.last_volume) {
    tick.quantity = static_cast<double>(packet.volume);  // the day volume restarted: all of it is new
  } else {
    return DecodeResult::ok;  // no trade since the previous snapshot
  }
  state.seen = true;
  state.last_volume = packet.volume;
  if (packet.volume > 0) sink.on_tick(tick);
  return DecodeResult::ok;
}

DecodeResult SmartApiDecoder::decode_text(std::string_view text, DecodedSink& sink, DecodeError& error) {
  (void)error;
  if (text.empty() || text == "pong") return DecodeResult::ignored;
  sink.on_notice(text);
  return DecodeResult::ok;
}

void SmartApiDecoder::reset() {
  for (auto& [key, state] : instruments_) {
    (void)key;
    state.seen = false;
    state.last_volume = 0;
  }
}

}  // namespace tickd::core
