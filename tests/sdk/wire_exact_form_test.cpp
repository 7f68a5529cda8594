// The decoder's fast path (tickd/wire/exact_form.hpp) and the encoders' size
// bounds: the fast path takes the writer's own output, declines anything else,
// and agrees with the general reader on every input; no event outgrows the
// room its encoder reserves.
#include <tickd/wire.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <limits>

namespace tickd {
namespace {

Candle real_candle() {
  Candle c;
  c.symbol = "BTCUSDT";
  c.interval = *Interval::parse("1h");
  c.open_time = 1502942400000;
  c.open = 4261.48;
  c.high = 4313.62;
  c.low = 4261.32;
  c.close = 4308.83;
  c.volume = 47.181009;
  c.vwap = (c.high + c.low + c.close) / 3;
  c.quote_volume = c.vwap * c.volume;
  c.trade_count = 171;
  c.closed = true;
  return c;
}

Tick real_tick() {
  Tick t;
  t.symbol = "XRPETH";
  t.time = 1570752011620;
  t.price = 0.00141342;
  t.quantity = 23;
  t.trade_id = 13519807;
  t.side = Side::sell;
  return t;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// The general reader alone: what the decoder did before it had a fast path.
bool general_decode(std::string_view json, wire::Event& out) {
  static wire::FlatObject object;
  std::string error;
  return object.parse(json, wire::kDefaultMaxBytes, error) && wire::Decoder::decode(object, out, error);
}

void expect_same(const wire::Event& a, const wire::Event& b, const std::string& json) {
  ASSERT_EQ(a.type, b.type) << json;
  EXPECT_EQ(a.seq, b.seq) << json;
  if (a.type == wire::Type::candle) {
    const Candle &x = a.candle, &y = b.candle;
    EXPECT_TRUE(x.symbol == y.symbol && x.interval == y.interval && x.open_time == y.open_time &&
                same_bits(x.open, y.open) && same_bits(x.high, y.high) && same_bits(x.low, y.low) &&
                same_bits(x.close, y.close) && same_bits(x.volume, y.volume) &&
                same_bits(x.quote_volume, y.quote_volume) && same_bits(x.vwap, y.vwap) &&
                x.trade_count == y.trade_count && x.closed == y.closed && x.partial == y.partial &&
                x.filled == y.filled)
        << json;
  } else if (a.type == wire::Type::tick) {
    const Tick &x = a.tick, &y = b.tick;
    EXPECT_TRUE(x.symbol == y.symbol && x.time == y.time && same_bits(x.price, y.price) &&
                same_bits(x.quantity, y.quantity) && x.trade_id == y.trade_id &&
                x.trade_count == y.trade_count && x.side == y.side)
        << json;
  }
}

TEST(WireExactForm, TakesTheWritersOwnOutput) {
  std::uint64_t seq = 0;
  Candle c;
  Tick t;
  EXPECT_TRUE(wire::detail::decode_exact_candle(wire::to_json(real_candle()), seq, c));
  EXPECT_EQ(seq, 0u);
  std::string json;
  wire::append(json, real_tick(), 42);
  EXPECT_TRUE(wire::detail::decode_exact_tick(json, seq, t));
  EXPECT_EQ(seq, 42u);
  EXPECT_EQ(t.symbol, "XRPETH");
  EXPECT_EQ(t.side, Side::sell);
}

TEST(WireExactForm, DeclinesOtherValidFormsWhichTheGeneralReaderStillDecodes) {
  const std::string own = wire::to_json(real_candle());
  std::string spaced = own;
  spaced.insert(spaced.find("\"symbol\"") + 9, " ");
  std::string reordered = own;
  reordered.replace(reordered.find("\"closed\":true"), 13, "\"closed\":false");
  const std::string variants[] = {
      spaced,
      " " + own,
      std::string(own).replace(own.find("BTCUSDT"), 7, "BTC\\u0055SDT"),  // an escape
      std::string(own).replace(own.find("\"vwap\":"), 7, "\"extra\":1,\"vwap\":"),
      std::string(own).replace(own.find("\"close_time\":"), 13, "\"close_time\":\"x\",\"y\":"),
  };
  for (const std::string& json : variants) {
    std::uint64_t seq = 0;
    Candle c;
    EXPECT_FALSE(wire::detail::decode_exact_candle(json, seq, c)) << json;
    wire::Event via_decoder, via_general;
    wire::Decoder decoder;
    std::string error;
    EXPECT_EQ(decoder.decode(json, via_decoder, error), general_decode(json, via_general)) << json;
  }
}

// Every one-byte change of real events (replaced by characters that matter to
// JSON, or deleted): the decoder with its fast path says what the general
// reader says, with the same values.
TEST(WireExactForm, AgreesWithTheGeneralReaderOnEveryOneByteChange) {
  std::string tick_json;
  wire::append(tick_json, real_tick(), 7);
  Candle filled = real_candle();
  filled.filled = true;
  filled.high = std::numeric_limits<double>::denorm_min();
  const std::string sources[] = {wire::to_json(real_candle()), tick_json, wire::to_json(filled)};
  const char replacements[] = {'"', '\\', ',', ':', '}', ' ', '0', '9', '-', '.', 'e', 'x', '\x01', '\xc3'};
  wire::Decoder decoder;
  std::size_t accepted = 0, tried = 0;
  for (const std::string& source : sources) {
    for (std::size_t i = 0; i <= source.size(); ++i) {
      std::vector<std::string> changed;
      if (i < source.size()) {
        changed.push_back(std::string(source).erase(i, 1));
        for (char r : replacements) changed.push_back(std::string(source).replace(i, 1, 1, r));
      } else {
        changed.push_back(source + "x");
        changed.push_back(source + "\n");
      }
      for (const std::string& json : changed) {
        wire::Event a, b;
        std::string error;
        const bool ok = decoder.decode(json, a, error);
        ASSERT_EQ(ok, general_decode(json, b)) << json;
        if (ok) {
          ++accepted;
          expect_same(a, b, json);
        }
        ++tried;
      }
    }
  }
  EXPECT_GT(accepted, 100u);  // digits changed in place: still events, via the fast path
  EXPECT_GT(tried, accepted);
}

TEST(WireExactForm, EventsOfExtremeValuesFitTheRoomTheirEncoderReserves) {
  Candle c;
  c.symbol = "";
  c.interval = *Interval::parse("15m");
  c.open_time = std::numeric_limits<TimeMs>::min() / 2;
  c.open = c.high = c.low = c.close = -std::numeric_limits<double>::min();
  c.volume = c.quote_volume = c.vwap = -std::numeric_limits<double>::min();  // 24 characters each
  c.trade_count = std::numeric_limits<std::uint64_t>::max();
  c.closed = c.partial = c.filled = false;
  std::string json;
  wire::append(json, c, std::numeric_limits<std::uint64_t>::max());
  EXPECT_LE(json.size(), wire::detail::kFixedBound);
  EXPECT_EQ(json.size(), 461u) << json;  // the figure the bound's comment quotes
  Tick t;
  t.time = t.trade_id = std::numeric_limits<std::int64_t>::min();
  t.price = t.quantity = -std::numeric_limits<double>::min();
  t.trade_count = std::numeric_limits<std::uint32_t>::max();
  t.side = Side::neutral;
  json.clear();
  wire::append(json, t, std::numeric_limits<std::uint64_t>::max());
  EXPECT_LE(json.size(), wire::detail::kFixedBound);
}

}  // namespace
}  // namespace tickd
