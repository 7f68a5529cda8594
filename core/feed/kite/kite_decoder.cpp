#include "feed/kite/kite_decoder.hpp"

#include "feed/kite/kite_frame.hpp"

namespace tickd::core {
namespace {

DecodeResult fail(DecodeError& error, std::string_view reason) {
  error.reason = reason;
  return DecodeResult::error;
}

}  // namespace

KiteDecoder::KiteDecoder(const std::unordered_map<std::uint32_t, SymbolId>& tokens) {
  tokens_.reserve(tokens.size());
  for (const auto& [token, symbol] : tokens) tokens_[token].symbol = symbol;
}

DecodeResult KiteDecoder::decode_binary(const std::uint8_t* data, std::size_t size, TimeMs now_ms,
                                        DecodedSink& sink, DecodeError& error) {
  if (size > kMaxFrameBytes) return fail(error, "frame too large");
  KiteFrameReader reader(data, size);
  if (reader.is_heartbeat()) return DecodeResult::ignored;
  std::string_view first_error;
  const std::uint8_t* packet_data = nullptr;
  std::size_t packet_size = 0;
  KitePacket packet;
  while (reader.next(packet_data, packet_size)) {
    if (!decode_kite_packet(packet_data, packet_size, packet)) {
      if (first_error.empty()) first_error = "bad packet length";
      continue;
    }
    auto it = tokens_.find(packet.instrument_token);
    if (it == tokens_.end()) {
      if (first_error.empty()) first_error = "unknown instrument token";
      continue;
    }
    emit(packet, it->second, now_ms, sink);
  }
  if (first_error.empty()) first_error = reader.error();
  if (!first_error.empty()) return fail(error, first_error);
  return reader.packet_count() == 0 ? DecodeResult::ignored : DecodeResult::ok;
}

void KiteDecoder::emit(const KitePacket& packet, TokenState& state, TimeMs now_ms, DecodedSink& sink) {
  // A price of 0 means "no trade yet today" (e.g. before the open); it is not a price.
  if (packet.last_price == 0) return;
  TickData tick;
  tick.symbol = state.symbol;
  tick.price = packet.last_price;
  tick.trade_id = -1;
  tick.trade_count = 1;
  tick.side = Side::unknown;

  if (!packet.has_volume()) {
    tick.quantity = 0;
    tick.time = packet.exchange_timestamp > 0 ? packet.exchange_timestamp : now_ms;
    sink.on_tick(tick);
    return;
  }

  const std::uint32_t volume = packet.volume_traded;
  if (!state.seen) {
    tick.quantity = packet.last_traded_quantity;
  } else if (volume > state.last_volume) {
    tick.quantity = volume - state.last_volume;
  } else if (volume < state.last_volume) {
    // The day volume restarted (a new session): all of it is new.
    tick.quantity = volume;
  } else {
    return;  // no trade since the previous snapshot
  }
  state.seen = true;
  state.last_volume = volume;
  if (volume == 0) return;
  tick.time = packet.last_trade_time > 0 ? packet.last_trade_time : now_ms;
  sink.on_tick(tick);
}

DecodeResult KiteDecoder::decode_text(std::string_view text, DecodedSink& sink, DecodeError& error) {
  (void)error;
  if (text.empty()) return DecodeResult::ignored;
  sink.on_notice(text);
  return DecodeResult::ok;
}

void KiteDecoder::reset() {
  for (auto& [token, state] : tokens_) {
    (void)token;
    state.seen = false;
    state.last_volume = 0;
  }
}

}  // namespace tickd::core
