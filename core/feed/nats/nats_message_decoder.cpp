#include "feed/nats/nats_message_decoder.hpp"

namespace tickd::core {

NatsMessageDecoder::NatsMessageDecoder(SymbolTable& table, const std::vector<std::string>& symbols)
    : table_(table) {
  for (const auto& s : symbols) {
    if (s == "*") all_symbols_ = true;
    wanted_.insert(s);
  }
  if (symbols.empty()) all_symbols_ = true;
}

NatsMessageDecoder::Result NatsMessageDecoder::symbol_id(std::string_view name, SymbolId& out,
                                                         std::string& error) {
  if (name.empty()) {
    error = "empty symbol";
    return Result::error;
  }
  if (!all_symbols_ && wanted_.find(std::string(name)) == wanted_.end()) return Result::unwanted;
  auto id = table_.intern(name);
  if (!id) {
    error = "symbol table full";
    return Result::error;
  }
  out = *id;
  return Result::ok;
}

NatsMessageDecoder::Result NatsMessageDecoder::candle(std::string_view payload, bool closed, CandleData& out,
                                                      std::string& error) {
  if (!decoder_.decode(payload, event_, error)) return Result::error;
  if (event_.type != wire::Type::candle) {
    error = "not a candle";
    return Result::error;
  }
  const Candle& c = event_.candle;
  if (c.closed != closed) {
    error = closed ? "an open candle on a closed-candle subject" : "a closed candle on an update subject";
    return Result::error;
  }
  if (!c.interval.valid()) {
    error = "no interval";
    return Result::error;
  }
  const Result r = symbol_id(c.symbol, out.symbol, error);
  if (r != Result::ok) return r;
  out = from_value(c, out.symbol);
  return Result::ok;
}

NatsMessageDecoder::Result NatsMessageDecoder::tick(std::string_view payload, TickData& out,
                                                    std::string& error) {
  if (!decoder_.decode(payload, event_, error)) return Result::error;
  if (event_.type != wire::Type::tick) {
    error = "not a tick";
    return Result::error;
  }
  const Tick& t = event_.tick;
  const Result r = symbol_id(t.symbol, out.symbol, error);
  if (r != Result::ok) return r;
  out = from_value(t, out.symbol);
  return Result::ok;
}

NatsMessageDecoder::Result NatsMessageDecoder::signal(std::string_view payload, SymbolId& symbol, Signal& out,
                                                      std::string& error) {
  if (!decoder_.decode(payload, event_, error)) return Result::error;
  if (event_.type != wire::Type::signal) {
    error = "not a signal";
    return Result::error;
  }
  const Result r = symbol_id(event_.signal.symbol, symbol, error);
  if (r != Result::ok) return r;
  out = event_.signal;
  out.symbol = table_.name(symbol);
  return Result::ok;
}

}  // namespace tickd::core
