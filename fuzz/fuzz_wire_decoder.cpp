// libFuzzer: one input = one line of event JSON (tickd/wire.hpp), also read
// as a line from a process observer's child (process/protocol.hpp). Whatever
// decodes as an event must encode again and decode to the same event, bit for
// bit, and the decoder's fast path must agree with the general reader.
#include "process/protocol.hpp"

#include <tickd/wire.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

bool same(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::memcmp(&a, &b, sizeof a) == 0;
}

void check(bool ok) {
  if (!ok) std::abort();
}

void check_same(const tickd::wire::Event& a, const tickd::wire::Event& b) {
  check(a.type == b.type && a.seq == b.seq);
  switch (a.type) {
    case tickd::wire::Type::tick:
      check(a.tick.symbol == b.tick.symbol && a.tick.time == b.tick.time &&
            same(a.tick.price, b.tick.price) && same(a.tick.quantity, b.tick.quantity) &&
            a.tick.trade_id == b.tick.trade_id && a.tick.trade_count == b.tick.trade_count &&
            a.tick.side == b.tick.side);
      break;
    case tickd::wire::Type::candle:
      check(a.candle.symbol == b.candle.symbol && a.candle.interval == b.candle.interval &&
            a.candle.open_time == b.candle.open_time && same(a.candle.open, b.candle.open) &&
            same(a.candle.high, b.candle.high) && same(a.candle.low, b.candle.low) &&
            same(a.candle.close, b.candle.close) && same(a.candle.volume, b.candle.volume) &&
            same(a.candle.quote_volume, b.candle.quote_volume) && same(a.candle.vwap, b.candle.vwap) &&
            a.candle.trade_count == b.candle.trade_count && a.candle.closed == b.candle.closed &&
            a.candle.partial == b.candle.partial && a.candle.filled == b.candle.filled);
      break;
    case tickd::wire::Type::signal:
      check(a.signal.interval == b.signal.interval && a.signal.time == b.signal.time &&
            a.signal.side == b.signal.side && same(a.signal.strength, b.signal.strength) &&
            same(a.signal.price, b.signal.price) && a.signal.source == b.signal.source &&
            a.signal.symbol == b.signal.symbol);
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static tickd::wire::Decoder decoder(4096);
  static tickd::wire::Decoder again;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  tickd::wire::Event event, event2;
  std::string error;
  static tickd::core::protocol::ChildMessageParser child_lines(4096);
  tickd::core::protocol::ChildMessage message;
  if (!child_lines.parse(input, message, error)) check(!error.empty());
  // The decoder's fast path (exact_form.hpp) must agree with the general
  // reader on every input: same verdict, same values.
  static tickd::wire::FlatObject object;
  tickd::wire::Event general;
  std::string general_error;
  const bool general_ok = object.parse(input, 4096, general_error) &&
                          tickd::wire::Decoder::decode(object, general, general_error);
  const bool ok = decoder.decode(input, event, error);
  check(ok == general_ok);
  if (!ok) {
    check(!error.empty());
    return 0;
  }
  check_same(event, general);
  std::string json;
  std::string symbol;
  switch (event.type) {
    case tickd::wire::Type::tick:
      tickd::wire::append(json, event.tick, event.seq);
      break;
    case tickd::wire::Type::candle:
      tickd::wire::append(json, event.candle, event.seq);
      break;
    case tickd::wire::Type::signal:
      tickd::wire::append(json, event.signal, event.seq);
      break;
  }
  if (!again.decode(json, event2, error)) std::abort();
  check_same(event, event2);
  return 0;
}
