#include "feed/binance/binance_decoder.hpp"

#include "feed/binance/binance_interval.hpp"

#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

namespace tickd::core {
namespace {

namespace od = simdjson::ondemand;

// Parser and buffer start this large so that ordinary frames never grow them.
constexpr std::size_t kInitialCapacity = 64 * 1024;

DecodeResult fail(DecodeError& error, std::string_view reason) {
  error.reason = reason;
  return DecodeResult::error;
}

// Streams whose payload tickd never uses: recognised by name so that the
// (large, frequent) depth payloads are not walked at all.
bool is_ignored_stream(std::string_view stream) {
  return stream.find("@depth") != std::string_view::npos ||
         stream.find("bookTicker") != std::string_view::npos;
}

bool read_string(od::object& object, std::string_view key, std::string_view& out) {
  return object[key].get_string().get(out) == simdjson::SUCCESS;
}

bool read_int(od::object& object, std::string_view key, std::int64_t& out) {
  return object[key].get_int64().get(out) == simdjson::SUCCESS;
}

bool read_bool(od::object& object, std::string_view key, bool& out) {
  return object[key].get_bool().get(out) == simdjson::SUCCESS;
}

// Binance sends prices and quantities as decimal strings ("58001.03000000").
bool read_decimal(od::object& object, std::string_view key, double& out) {
  std::string_view text;
  if (!read_string(object, key, text) || text.empty()) return false;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && std::isfinite(out) && out >= 0;
}

}  // namespace

struct BinanceDecoder::Impl {
  explicit Impl(const SymbolTable& table) : symbols(table), parser(kMaxFrameBytes) {
    buffer.resize(kInitialCapacity + simdjson::SIMDJSON_PADDING);
    // Failure here is not fatal: iterate() allocates again and reports it.
    const auto allocated = parser.allocate(kInitialCapacity);
    (void)allocated;
  }

  bool resolve(std::string_view name, SymbolId& out);
  DecodeResult decode(std::string_view frame, DecodedSink& sink, DecodeError& error);
  DecodeResult decode_payload(od::object& payload, std::string_view frame, DecodedSink& sink,
                              DecodeError& error);
  DecodeResult decode_trade(od::object& payload, bool aggregate, DecodedSink& sink, DecodeError& error);
  DecodeResult decode_kline(od::object& payload, DecodedSink& sink, DecodeError& error);

  const SymbolTable& symbols;
  od::parser parser;
  std::vector<char> buffer;  // the frame followed by simdjson's padding
  std::unordered_map<std::string, SymbolId> cache;
  std::string key;  // reused lookup key: no allocation per message
};

bool BinanceDecoder::Impl::resolve(std::string_view name, SymbolId& out) {
  key.assign(name.data(), name.size());
  auto it = cache.find(key);
  if (it != cache.end()) {
    out = it->second;
    return true;
  }
  // Unknown names are not cached: the table may gain them later (reload).
  const auto found = symbols.find(name);
  if (!found) return false;
  cache.emplace(key, *found);
  out = *found;
  return true;
}

DecodeResult BinanceDecoder::Impl::decode(std::string_view frame, DecodedSink& sink, DecodeError& error) {
  if (frame.empty()) return fail(error, "empty frame");
  if (frame.size() > kMaxFrameBytes) return fail(error, "frame too large");
  if (buffer.size() < frame.size() + simdjson::SIMDJSON_PADDING)
    buffer.resize(frame.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(buffer.data(), frame.data(), frame.size());

  od::document doc;
  if (parser.iterate(buffer.data(), frame.size(), buffer.size()).get(doc) != simdjson::SUCCESS)
    return fail(error, "malformed JSON");
  od::object root;
  const auto root_error = doc.get_object().get(root);
  if (root_error == simdjson::INCORRECT_TYPE) return fail(error, "not a JSON object");
  if (root_error != simdjson::SUCCESS) return fail(error, "malformed JSON");

  std::string_view stream;
  const auto stream_error = root["stream"].get_string().get(stream);
  if (stream_error == simdjson::NO_SUCH_FIELD) return decode_payload(root, frame, sink, error);
  if (stream_error == simdjson::INCORRECT_TYPE) return fail(error, "bad field stream");
  if (stream_error != simdjson::SUCCESS) return fail(error, "malformed JSON");
  if (is_ignored_stream(stream)) return DecodeResult::ignored;
  od::object payload;
  if (root["data"].get_object().get(payload) != simdjson::SUCCESS) return fail(error, "bad field data");
  return decode_payload(payload, frame, sink, error);
}

DecodeResult BinanceDecoder::Impl::decode_payload(od::object& payload, std::string_view frame,
                                                  DecodedSink& sink, DecodeError& error) {
  std::string_view event;
  const auto event_error = payload["e"].get_string().get(event);
  if (event_error == simdjson::NO_SUCH_FIELD) {
    // Not a market event: a request's answer ({"result":null,"id":1}), an
    // error ({"code":2,"msg":"..."} or {"error":{...}}), or a payload without
    // an event type (spot bookTicker). Any error but "no such field" leaves
    // the document unusable (simdjson), so the search stops there.
    for (const char* key : {"result", "code", "error"}) {
      od::value value;
      const auto found = payload[key].get(value);
      if (found == simdjson::SUCCESS) {
        sink.on_notice(frame);
        return DecodeResult::ok;
      }
      if (found != simdjson::NO_SUCH_FIELD) return fail(error, "malformed JSON");
    }
    return DecodeResult::ignored;
  }
  if (event_error != simdjson::SUCCESS) return fail(error, "bad field e");
  if (event == "aggTrade") return decode_trade(payload, true, sink, error);
  if (event == "trade") return decode_trade(payload, false, sink, error);
  if (event == "kline") return decode_kline(payload, sink, error);
  return DecodeResult::ignored;
}

// Fields are read in the order Binance sends them, so that each unordered
// lookup continues where the previous one stopped.
DecodeResult BinanceDecoder::Impl::decode_trade(od::object& p, bool aggregate, DecodedSink& sink,
                                                DecodeError& error) {
  std::string_view symbol_name;
  if (!read_string(p, "s", symbol_name)) return fail(error, "bad field s");
  TickData tick;
  if (!resolve(symbol_name, tick.symbol)) return fail(error, "unknown symbol");
  if (!read_int(p, aggregate ? "a" : "t", tick.trade_id))
    return fail(error, aggregate ? "bad field a" : "bad field t");
  if (!read_decimal(p, "p", tick.price) || tick.price <= 0) return fail(error, "bad field p");
  if (!read_decimal(p, "q", tick.quantity)) return fail(error, "bad field q");
  if (aggregate) {
    std::int64_t first = 0, last = 0;
    if (!read_int(p, "f", first)) return fail(error, "bad field f");
    if (!read_int(p, "l", last)) return fail(error, "bad field l");
    if (last < first || last - first >= std::numeric_limits<std::uint32_t>::max())
      return fail(error, "bad trade id range");
    tick.trade_count = static_cast<std::uint32_t>(last - first + 1);
  }
  if (!read_int(p, "T", tick.time) || tick.time < 0) return fail(error, "bad field T");
  bool buyer_is_maker = false;
  if (!read_bool(p, "m", buyer_is_maker)) return fail(error, "bad field m");
  tick.side = buyer_is_maker ? Side::sell : Side::buy;
  sink.on_tick(tick);
  return DecodeResult::ok;
}

DecodeResult BinanceDecoder::Impl::decode_kline(od::object& p, DecodedSink& sink, DecodeError& error) {
  std::string_view symbol_name;
  if (!read_string(p, "s", symbol_name)) return fail(error, "bad field s");
  CandleData candle;
  if (!resolve(symbol_name, candle.symbol)) return fail(error, "unknown symbol");
  od::object k;
  if (p["k"].get_object().get(k) != simdjson::SUCCESS) return fail(error, "bad field k");
  if (!read_int(k, "t", candle.open_time) || candle.open_time < 0) return fail(error, "bad field k.t");
  std::string_view interval;
  if (!read_string(k, "i", interval)) return fail(error, "bad field k.i");
  const auto seconds = binance_interval_seconds(interval);
  if (!seconds) return fail(error, "unsupported kline interval");
  candle.interval_s = *seconds;
  if (!read_decimal(k, "o", candle.open)) return fail(error, "bad field k.o");
  if (!read_decimal(k, "c", candle.close)) return fail(error, "bad field k.c");
  if (!read_decimal(k, "h", candle.high)) return fail(error, "bad field k.h");
  if (!read_decimal(k, "l", candle.low)) return fail(error, "bad field k.l");
  if (!read_decimal(k, "v", candle.volume)) return fail(error, "bad field k.v");
  std::int64_t trades = 0;
  if (!read_int(k, "n", trades) || trades < 0) return fail(error, "bad field k.n");
  candle.trade_count = static_cast<std::uint64_t>(trades);
  bool closed = false;
  if (!read_bool(k, "x", closed)) return fail(error, "bad field k.x");
  if (!read_decimal(k, "q", candle.quote_volume)) return fail(error, "bad field k.q");
  candle.flags = closed ? TICKD_CANDLE_CLOSED : 0u;
  sink.on_exchange_candle(candle);
  return DecodeResult::ok;
}

BinanceDecoder::BinanceDecoder(const SymbolTable& symbols) : impl_(std::make_unique<Impl>(symbols)) {}

BinanceDecoder::~BinanceDecoder() = default;

DecodeResult BinanceDecoder::decode(std::string_view frame, DecodedSink& sink, DecodeError& error) {
  return impl_->decode(frame, sink, error);
}

}  // namespace tickd::core
