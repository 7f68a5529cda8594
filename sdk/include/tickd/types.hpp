// Value types of the tickd C++ SDK: Interval, Tick, Candle, Signal.
// Header-only; depends on the standard library and tickd/abi.h only.
#pragma once

#include <tickd/abi.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace tickd {

// The one time type: UTC milliseconds since the Unix epoch.
using TimeMs = std::int64_t;

enum class Side : std::int32_t {
  unknown = TICKD_SIDE_UNKNOWN,
  buy = TICKD_SIDE_BUY,
  sell = TICKD_SIDE_SELL,
  neutral = TICKD_SIDE_NEUTRAL
};

inline std::string_view side_name(Side side) {
  switch (side) {
    case Side::buy:
      return "buy";
    case Side::sell:
      return "sell";
    case Side::neutral:
      return "neutral";
    default:
      return "unknown";
  }
}

inline std::optional<Side> parse_side(std::string_view text) {
  if (text == "buy") return Side::buy;
  if (text == "sell") return Side::sell;
  if (text == "neutral") return Side::neutral;
  if (text == "unknown") return Side::unknown;
  return std::nullopt;
}

// A candle length. 1d and 1w are session days and weeks: their buckets follow
// the configured session timezone, every other interval is a fixed length.
class Interval {
 public:
  struct Known {
    std::string_view name;
    std::int64_t seconds;
  };
  static constexpr std::array<Known, 14> known{{{"1s", 1},
                                                {"5s", 5},
                                                {"15s", 15},
                                                {"30s", 30},
                                                {"1m", 60},
                                                {"3m", 180},
                                                {"5m", 300},
                                                {"15m", 900},
                                                {"30m", 1800},
                                                {"1h", 3600},
                                                {"2h", 7200},
                                                {"4h", 14400},
                                                {"1d", 86400},
                                                {"1w", 604800}}};

  constexpr Interval() = default;

  static std::optional<Interval> parse(std::string_view name) {
    for (const auto& k : known)
      if (k.name == name) return Interval(k.seconds);
    return std::nullopt;
  }
  static std::optional<Interval> from_seconds(std::int64_t seconds) {
    for (const auto& k : known)
      if (k.seconds == seconds) return Interval(k.seconds);
    return std::nullopt;
  }
  // "1s, 5s, ..., 1w": for error messages.
  static std::string valid_names() {
    std::string out;
    for (const auto& k : known) {
      if (!out.empty()) out += ", ";
      out += k.name;
    }
    return out;
  }

  constexpr std::int64_t seconds() const { return seconds_; }
  constexpr TimeMs length_ms() const { return seconds_ * 1000; }
  constexpr bool is_calendar() const { return seconds_ >= 86400; }
  std::string_view name() const {
    for (const auto& k : known)
      if (k.seconds == seconds_) return k.name;
    return "?";
  }
  constexpr bool valid() const { return seconds_ > 0; }

  friend constexpr bool operator==(Interval a, Interval b) { return a.seconds_ == b.seconds_; }
  friend constexpr bool operator!=(Interval a, Interval b) { return a.seconds_ != b.seconds_; }
  friend constexpr bool operator<(Interval a, Interval b) { return a.seconds_ < b.seconds_; }

 private:
  constexpr explicit Interval(std::int64_t s) : seconds_(s) {}
  std::int64_t seconds_ = 0;
};

// A trade (or an aggregate of trades at one price) as the exchange reported it.
// `symbol` points into the host's symbol table: valid while the plugin lives.
struct Tick {
  std::string_view symbol;
  TimeMs time = 0;
  double price = 0;
  double quantity = 0;
  std::int64_t trade_id = -1;
  std::uint32_t trade_count = 1;
  Side side = Side::unknown;
};

struct Candle {
  std::string_view symbol;  // see Tick::symbol
  Interval interval;
  TimeMs open_time = 0;
  double open = 0, high = 0, low = 0, close = 0;
  double volume = 0;
  double quote_volume = 0;
  double vwap = 0;
  std::uint64_t trade_count = 0;
  bool closed = false;
  bool partial = false;  // began before the daemon saw its first tick
  bool filled = false;   // gap fill: no trade in the bucket

  TimeMs close_time() const { return open_time + interval.length_ms(); }
  // The same three facts as the ABI's and the stores' TICKD_CANDLE_* bits: the
  // only translation between the two forms.
  std::uint32_t flags() const {
    return (closed ? TICKD_CANDLE_CLOSED : 0u) | (partial ? TICKD_CANDLE_PARTIAL : 0u) |
           (filled ? TICKD_CANDLE_FILLED : 0u);
  }
  void set_flags(std::uint32_t bits) {
    closed = (bits & TICKD_CANDLE_CLOSED) != 0;
    partial = (bits & TICKD_CANDLE_PARTIAL) != 0;
    filled = (bits & TICKD_CANDLE_FILLED) != 0;
  }
};

struct Signal {
  std::string symbol;
  Interval interval;  // may be invalid (seconds 0) when not tied to one
  TimeMs time = 0;
  Side side = Side::neutral;
  double strength = 0;
  double price = 0;
  std::string source;
  std::string text;
};

namespace detail {

inline std::string_view view(tickd_str s) {
  return s.size ? std::string_view(s.data, s.size) : std::string_view();
}
inline tickd_str str(std::string_view s) { return tickd_str{s.data(), s.size()}; }

// The event structs grow at their end between minor ABI versions, and the
// other side of the boundary may be older or newer than this header: read only
// the `struct_size` bytes it wrote, and the fields it did not know stay zero.
template <typename AbiStruct>
inline AbiStruct sized(const AbiStruct& in) {
  AbiStruct out{};
  std::memcpy(static_cast<void*>(&out), &in, std::min<std::size_t>(in.struct_size, sizeof(AbiStruct)));
  out.struct_size = sizeof(AbiStruct);
  return out;
}

inline Tick from_c(const tickd_tick& in) {
  const tickd_tick t = sized(in);
  Tick out;
  out.symbol = view(t.symbol);
  out.time = t.time;
  out.price = t.price;
  out.quantity = t.quantity;
  out.trade_id = t.trade_id;
  out.trade_count = t.trade_count;
  out.side = static_cast<Side>(t.side);
  return out;
}

inline tickd_tick to_c(const Tick& t) {
  tickd_tick out{};
  out.struct_size = sizeof(out);
  out.symbol = str(t.symbol);
  out.time = t.time;
  out.price = t.price;
  out.quantity = t.quantity;
  out.trade_id = t.trade_id;
  out.trade_count = t.trade_count;
  out.side = static_cast<std::int32_t>(t.side);
  return out;
}

inline Candle from_c(const tickd_candle& in) {
  const tickd_candle c = sized(in);
  Candle out;
  out.symbol = view(c.symbol);
  out.interval = Interval::from_seconds(c.interval_s).value_or(Interval());
  out.open_time = c.open_time;
  out.open = c.open;
  out.high = c.high;
  out.low = c.low;
  out.close = c.close;
  out.volume = c.volume;
  out.quote_volume = c.quote_volume;
  out.vwap = c.vwap;
  out.trade_count = c.trade_count;
  out.set_flags(c.flags);
  return out;
}

inline tickd_candle to_c(const Candle& c) {
  tickd_candle out{};
  out.struct_size = sizeof(out);
  out.symbol = str(c.symbol);
  out.interval_s = c.interval.seconds();
  out.open_time = c.open_time;
  out.open = c.open;
  out.high = c.high;
  out.low = c.low;
  out.close = c.close;
  out.volume = c.volume;
  out.quote_volume = c.quote_volume;
  out.vwap = c.vwap;
  out.trade_count = c.trade_count;
  out.flags = c.flags();
  return out;
}

inline Signal from_c(const tickd_signal& in) {
  const tickd_signal s = sized(in);
  Signal out;
  out.symbol = std::string(view(s.symbol));
  out.interval = Interval::from_seconds(s.interval_s).value_or(Interval());
  out.time = s.time;
  out.side = static_cast<Side>(s.side);
  out.strength = s.strength;
  out.price = s.price;
  out.source = std::string(view(s.source));
  out.text = std::string(view(s.text));
  return out;
}

inline tickd_signal to_c(const Signal& s) {
  tickd_signal out{};
  out.struct_size = sizeof(out);
  out.symbol = str(s.symbol);
  out.interval_s = s.interval.seconds();
  out.time = s.time;
  out.side = static_cast<std::int32_t>(s.side);
  out.strength = s.strength;
  out.price = s.price;
  out.source = str(s.source);
  out.text = str(s.text);
  return out;
}

}  // namespace detail
}  // namespace tickd
