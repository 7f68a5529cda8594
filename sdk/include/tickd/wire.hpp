// The one wire form of tickd events: ticks, candles and signals as versioned
// JSON objects, written and read here for everything that leaves the process
// (the process-observer protocol, NATS payloads, storage JSON). The schema is
// "Event JSON, version 1" in docs/PROCESS_OBSERVERS.md:
//
//   {"v":1,"type":"tick","symbol":"BTCUSDT","time":1700000000000,"price":37000.5,
//    "quantity":0.01,"trade_id":42,"trade_count":1,"side":"buy"}
//   {"v":1,"type":"candle","symbol":"BTCUSDT","interval":"1m","open_time":1700000000000,
//    "close_time":1700000060000,"open":..,"high":..,"low":..,"close":..,"volume":..,
//    "quote_volume":..,"vwap":..,"trade_count":12,"closed":true,"partial":false,"filled":false}
//   {"v":1,"type":"signal","symbol":"BTCUSDT","interval":"1h","time":1700000000000,
//    "side":"buy","strength":1,"price":37000.5,"source":"ema_cross","text":"..."}
//
// An optional "seq" (a positive integer) numbers events in the process-observer
// protocol; other users leave it out. Readers ignore fields they do not know,
// so later minor additions need no new version.
//
// Exact: a double is written in its shortest round-trip form and read back to
// the same bits. Fast: appends to the caller's buffer (no allocation once it is
// warm), and reading reuses the Decoder's buffers.
#pragma once

#include <tickd/types.hpp>
#include <tickd/wire/exact_form.hpp>
#include <tickd/wire/json_reader.hpp>
#include <tickd/wire/json_writer.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace tickd::wire {

inline constexpr int kVersion = 1;
// The default size limit of one message: far above any event (a signal's text
// included), small enough that a runaway writer cannot make the reader hoard.
inline constexpr std::size_t kDefaultMaxBytes = 64 * 1024;

enum class Type : std::uint8_t { tick, candle, signal };

inline std::string_view type_name(Type t) {
  switch (t) {
    case Type::tick:
      return "tick";
    case Type::candle:
      return "candle";
    default:
      return "signal";
  }
}

// ---------------------------------------------------------------- encoding

namespace detail {
// Every fixed part of an event (keys, numbers, booleans) fits in this many
// characters (a candle of worst-case values takes 461); strings are bounded
// separately (string_bound).
inline constexpr std::size_t kFixedBound = 640;

template <std::size_t N>
inline char* begin(char* p, const char (&type)[N], std::uint64_t seq) {
  p = write_literal(p, "{\"v\":1,\"type\":\"");
  p = write_literal(p, type);
  *p++ = '"';
  if (seq != 0) {
    p = write_literal(p, ",\"seq\":");
    p = write_integer(p, seq);
  }
  return p;
}
}  // namespace detail

inline void append(std::string& out, const Tick& t, std::uint64_t seq = 0) {
  BoundedAppend room(out, detail::kFixedBound + string_bound(t.symbol));
  char* p = detail::begin(room.begin(), "tick", seq);
  p = write_string(write_literal(p, ",\"symbol\":"), t.symbol);
  p = write_integer(write_literal(p, ",\"time\":"), t.time);
  p = write_double(write_literal(p, ",\"price\":"), t.price);
  p = write_double(write_literal(p, ",\"quantity\":"), t.quantity);
  p = write_integer(write_literal(p, ",\"trade_id\":"), t.trade_id);
  p = write_integer(write_literal(p, ",\"trade_count\":"), t.trade_count);
  p = write_string(write_literal(p, ",\"side\":"), side_name(t.side));
  *p++ = '}';
  room.finish(p);
}

inline void append(std::string& out, const Candle& c, std::uint64_t seq = 0) {
  BoundedAppend room(out, detail::kFixedBound + string_bound(c.symbol));
  char* p = detail::begin(room.begin(), "candle", seq);
  p = write_string(write_literal(p, ",\"symbol\":"), c.symbol);
  p = write_string(write_literal(p, ",\"interval\":"), c.interval.name());
  p = write_integer(write_literal(p, ",\"open_time\":"), c.open_time);
  p = write_integer(write_literal(p, ",\"close_time\":"), c.close_time());
  p = write_double(write_literal(p, ",\"open\":"), c.open);
  p = write_double(write_literal(p, ",\"high\":"), c.high);
  p = write_double(write_literal(p, ",\"low\":"), c.low);
  p = write_double(write_literal(p, ",\"close\":"), c.close);
  p = write_double(write_literal(p, ",\"volume\":"), c.volume);
  p = write_double(write_literal(p, ",\"quote_volume\":"), c.quote_volume);
  p = write_double(write_literal(p, ",\"vwap\":"), c.vwap);
  p = write_integer(write_literal(p, ",\"trade_count\":"), c.trade_count);
  p = write_bool(write_literal(p, ",\"closed\":"), c.closed);
  p = write_bool(write_literal(p, ",\"partial\":"), c.partial);
  p = write_bool(write_literal(p, ",\"filled\":"), c.filled);
  *p++ = '}';
  room.finish(p);
}

inline void append(std::string& out, const Signal& s, std::uint64_t seq = 0) {
  BoundedAppend room(
      out, detail::kFixedBound + string_bound(s.symbol) + string_bound(s.source) + string_bound(s.text));
  char* p = detail::begin(room.begin(), "signal", seq);
  p = write_string(write_literal(p, ",\"symbol\":"), s.symbol);
  if (s.interval.valid()) p = write_string(write_literal(p, ",\"interval\":"), s.interval.name());
  p = write_integer(write_literal(p, ",\"time\":"), s.time);
  p = write_string(write_literal(p, ",\"side\":"), side_name(s.side));
  p = write_double(write_literal(p, ",\"strength\":"), s.strength);
  p = write_double(write_literal(p, ",\"price\":"), s.price);
  p = write_string(write_literal(p, ",\"source\":"), s.source);
  p = write_string(write_literal(p, ",\"text\":"), s.text);
  *p++ = '}';
  room.finish(p);
}

template <typename Value>
inline std::string to_json(const Value& v) {
  std::string out;
  append(out, v);
  return out;
}

// ---------------------------------------------------------------- decoding

// One decoded event. Only the member named by `type` is meaningful. The
// symbol views of `tick` and `candle` point into the Decoder or the decoded
// text: valid until the next decode and while that text lives.
struct Event {
  Type type = Type::tick;
  std::uint64_t seq = 0;  // 0 when absent
  Tick tick;
  Candle candle;
  Signal signal;
};

class Decoder {
 public:
  explicit Decoder(std::size_t max_bytes = kDefaultMaxBytes) : max_bytes_(max_bytes) {}

  // False with `error` set ("field 'open' must be a number", "unsupported
  // version 2 (this reader knows 1)", ...) when `json` is not a version-1 event.
  bool decode(std::string_view json, Event& out, std::string& error) {
    if (json.size() <= max_bytes_) {
      if (detail::decode_exact_candle(json, out.seq, out.candle)) return out.type = Type::candle, true;
      if (detail::decode_exact_tick(json, out.seq, out.tick)) return out.type = Type::tick, true;
    }
    return object_.parse(json, max_bytes_, error) && decode(object_, out, error);
  }

  // For readers that parsed the object themselves (protocol messages that may
  // or may not be events).
  static bool decode(const FlatObject& obj, Event& out, std::string& error) {
    Reader r{obj, error};
    std::int64_t version = 0;
    if (!r.integer("v", version)) return false;
    if (version != kVersion)
      return r.fail("unsupported version " + std::to_string(version) + " (this reader knows 1)");
    std::string_view type;
    if (!r.string("type", type)) return false;
    out.seq = 0;
    if (obj.find("seq") && !r.integer("seq", out.seq)) return false;
    if (type == "tick") {
      out.type = Type::tick;
      return decode_tick(r, out.tick);
    }
    if (type == "candle") {
      out.type = Type::candle;
      return decode_candle(r, out.candle);
    }
    if (type == "signal") {
      out.type = Type::signal;
      return decode_signal(r, out.signal);
    }
    return r.fail("unknown event type '" + std::string(type) + "' (tick, candle or signal)");
  }

 private:
  struct Reader {
    const FlatObject& obj;
    std::string& error;

    bool fail(std::string message) {
      error = std::move(message);
      return false;
    }
    const JsonValue* need(std::string_view key) {
      const JsonValue* v = obj.find(key);
      if (!v) fail("missing field '" + std::string(key) + "'");
      return v;
    }
    bool wrong(std::string_view key, std::string_view what) {
      return fail("field '" + std::string(key) + "' must be " + std::string(what));
    }
    bool number(std::string_view key, double& out) {
      const JsonValue* v = need(key);
      return v && (json_to_double(*v, out) || wrong(key, "a number"));
    }
    template <typename Int>
    bool integer(std::string_view key, Int& out) {
      const JsonValue* v = need(key);
      return v && (json_to_integer(*v, out) || wrong(key, "an integer in range"));
    }
    bool string(std::string_view key, std::string_view& out) {
      const JsonValue* v = need(key);
      if (!v) return false;
      if (v->type != JsonValue::Type::string) return wrong(key, "a string");
      out = v->text;
      return true;
    }
    bool boolean(std::string_view key, bool& out) {
      const JsonValue* v = need(key);
      if (!v) return false;
      if (v->type != JsonValue::Type::boolean) return wrong(key, "true or false");
      out = v->boolean;
      return true;
    }
    bool interval(std::string_view key, Interval& out) {
      std::string_view name;
      if (!string(key, name)) return false;
      auto parsed = Interval::parse(name);
      if (!parsed) return wrong(key, "an interval name (" + Interval::valid_names() + ")");
      out = *parsed;
      return true;
    }
    bool side(std::string_view key, Side& out) {
      std::string_view name;
      if (!string(key, name)) return false;
      auto parsed = parse_side(name);
      if (!parsed) return wrong(key, "buy, sell, neutral or unknown");
      out = *parsed;
      return true;
    }
  };

  static bool decode_tick(Reader& r, Tick& t) {
    return r.string("symbol", t.symbol) && r.integer("time", t.time) && r.number("price", t.price) &&
           r.number("quantity", t.quantity) && r.integer("trade_id", t.trade_id) &&
           r.integer("trade_count", t.trade_count) && r.side("side", t.side);
  }

  static bool decode_candle(Reader& r, Candle& c) {
    return r.string("symbol", c.symbol) && r.interval("interval", c.interval) &&
           r.integer("open_time", c.open_time) && r.number("open", c.open) && r.number("high", c.high) &&
           r.number("low", c.low) && r.number("close", c.close) && r.number("volume", c.volume) &&
           r.number("quote_volume", c.quote_volume) && r.number("vwap", c.vwap) &&
           r.integer("trade_count", c.trade_count) && r.boolean("closed", c.closed) &&
           r.boolean("partial", c.partial) && r.boolean("filled", c.filled);
  }

  static bool decode_signal(Reader& r, Signal& s) {
    std::string_view symbol, source, text;
    s.interval = Interval();
    if (r.obj.find("interval") && !r.interval("interval", s.interval)) return false;
    if (!(r.string("symbol", symbol) && r.integer("time", s.time) && r.side("side", s.side) &&
          r.number("strength", s.strength) && r.number("price", s.price) && r.string("source", source) &&
          r.string("text", text)))
      return false;
    s.symbol.assign(symbol.data(), symbol.size());
    s.source.assign(source.data(), source.size());
    s.text.assign(text.data(), text.size());
    return true;
  }

  std::size_t max_bytes_;
  FlatObject object_;
};

}  // namespace tickd::wire
