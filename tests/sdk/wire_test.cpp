// The wire codec: every field of every event round-trips with the same bits,
// edge values included, and malformed input is an error with a message.
#include <tickd/wire.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <random>

namespace tickd {
namespace {

std::uint64_t bits(double d) {
  std::uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}

// The event's symbol views point into the decoded text and the decoder (the
// codec's contract), so both live until the next call.
wire::Event decode_ok(std::string json) {
  static std::string text;
  static wire::Decoder decoder;
  text = std::move(json);
  wire::Event e;
  std::string error;
  EXPECT_TRUE(decoder.decode(text, e, error)) << error << " in " << text;
  return e;
}

std::string decode_error(std::string_view json, std::size_t max_bytes = wire::kDefaultMaxBytes) {
  wire::Decoder decoder(max_bytes);
  wire::Event e;
  std::string error;
  EXPECT_FALSE(decoder.decode(json, e, error)) << json;
  EXPECT_FALSE(error.empty());
  return error;
}

Candle sample_candle() {
  Candle c;
  c.symbol = "BTCUSDT";
  c.interval = *Interval::parse("1h");
  c.open_time = 1700000000000;
  c.open = 37000.1;
  c.high = 37123.45;
  c.low = 36999.99;
  c.close = 37050.5;
  c.volume = 12.345678;
  c.quote_volume = 457000.123456789;
  c.vwap = 37018.0000001;
  c.trade_count = 4321;
  c.closed = true;
  c.partial = false;
  c.filled = true;
  return c;
}

TEST(Wire, CandleRoundTripsEveryField) {
  const Candle c = sample_candle();
  std::string json;
  wire::append(json, c, 17);
  EXPECT_EQ(json.rfind("{\"v\":1,\"type\":\"candle\",\"seq\":17,", 0), 0u) << json;
  auto e = decode_ok(json);
  ASSERT_EQ(e.type, wire::Type::candle);
  EXPECT_EQ(e.seq, 17u);
  EXPECT_EQ(e.candle.symbol, "BTCUSDT");
  EXPECT_EQ(e.candle.interval, c.interval);
  EXPECT_EQ(e.candle.open_time, c.open_time);
  EXPECT_EQ(bits(e.candle.open), bits(c.open));
  EXPECT_EQ(bits(e.candle.high), bits(c.high));
  EXPECT_EQ(bits(e.candle.low), bits(c.low));
  EXPECT_EQ(bits(e.candle.close), bits(c.close));
  EXPECT_EQ(bits(e.candle.volume), bits(c.volume));
  EXPECT_EQ(bits(e.candle.quote_volume), bits(c.quote_volume));
  EXPECT_EQ(bits(e.candle.vwap), bits(c.vwap));
  EXPECT_EQ(e.candle.trade_count, c.trade_count);
  EXPECT_TRUE(e.candle.closed);
  EXPECT_FALSE(e.candle.partial);
  EXPECT_TRUE(e.candle.filled);
  EXPECT_NE(json.find("\"close_time\":1700003600000"), std::string::npos);
}

TEST(Wire, TickRoundTripsEveryField) {
  Tick t;
  t.symbol = "ETH-USD";
  t.time = -5;  // before the epoch is still a time
  t.price = 0.1;
  t.quantity = 3e-8;
  t.trade_id = std::numeric_limits<std::int64_t>::min();
  t.trade_count = std::numeric_limits<std::uint32_t>::max();
  t.side = Side::sell;
  auto e = decode_ok(wire::to_json(t));
  ASSERT_EQ(e.type, wire::Type::tick);
  EXPECT_EQ(e.seq, 0u);
  EXPECT_EQ(e.tick.symbol, "ETH-USD");
  EXPECT_EQ(e.tick.time, -5);
  EXPECT_EQ(bits(e.tick.price), bits(0.1));
  EXPECT_EQ(bits(e.tick.quantity), bits(3e-8));
  EXPECT_EQ(e.tick.trade_id, t.trade_id);
  EXPECT_EQ(e.tick.trade_count, t.trade_count);
  EXPECT_EQ(e.tick.side, Side::sell);
}

TEST(Wire, SignalRoundTripsStringsWithEscapesAndUnicode) {
  Signal s;
  s.symbol = "NIFTY 50";
  s.interval = *Interval::parse("5m");
  s.time = 1700000000123;
  s.side = Side::buy;
  s.strength = 0.75;
  s.price = 19500.05;
  s.source = "ema_cross/9-21";
  s.text = std::string("quote \" backslash \\ newline \n tab \t nul ") + '\0' +
           " ctl \x01 rupee \xe2\x82\xb9 emoji \xf0\x9f\x93\x88";
  auto e = decode_ok(wire::to_json(s));
  ASSERT_EQ(e.type, wire::Type::signal);
  EXPECT_EQ(e.signal.symbol, s.symbol);
  EXPECT_EQ(e.signal.interval, s.interval);
  EXPECT_EQ(e.signal.time, s.time);
  EXPECT_EQ(e.signal.side, Side::buy);
  EXPECT_EQ(bits(e.signal.strength), bits(0.75));
  EXPECT_EQ(bits(e.signal.price), bits(19500.05));
  EXPECT_EQ(e.signal.source, s.source);
  EXPECT_EQ(e.signal.text, s.text);
}

TEST(Wire, SignalWithoutIntervalLeavesItOut) {
  Signal s;
  s.symbol = "X";
  std::string json = wire::to_json(s);
  EXPECT_EQ(json.find("interval"), std::string::npos);
  auto e = decode_ok(json);
  EXPECT_FALSE(e.signal.interval.valid());
}

TEST(Wire, InvalidUtf8IsReplacedSoTheOutputStaysJson) {
  Signal s;
  s.symbol = "X";
  s.text = "bad \xff\xfe and cut \xe2\x82";
  auto e = decode_ok(wire::to_json(s));
  EXPECT_EQ(e.signal.text, "bad \xef\xbf\xbd\xef\xbf\xbd and cut \xef\xbf\xbd\xef\xbf\xbd");
}

TEST(Wire, EdgeDoublesKeepTheirBits) {
  const double values[] = {0.0,
                           -0.0,
                           std::numeric_limits<double>::min(),
                           std::numeric_limits<double>::denorm_min(),
                           -std::numeric_limits<double>::denorm_min(),
                           std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::lowest(),
                           std::numeric_limits<double>::epsilon(),
                           1e21,
                           1e-7,
                           123456789012345680.0,
                           0.30000000000000004};
  for (double v : values) {
    Candle c = sample_candle();
    c.close = v;
    auto e = decode_ok(wire::to_json(c));
    EXPECT_EQ(bits(e.candle.close), bits(v)) << wire::to_json(c);
  }
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::uint64_t b = rng();
    double v;
    std::memcpy(&v, &b, sizeof v);
    if (!std::isfinite(v)) continue;
    Tick t;
    t.symbol = "R";
    t.price = v;
    auto e = decode_ok(wire::to_json(t));
    ASSERT_EQ(bits(e.tick.price), bits(v)) << wire::to_json(t);
  }
}

TEST(Wire, NonFiniteIsWrittenNullAndReadAsNan) {
  Candle c = sample_candle();
  c.vwap = std::numeric_limits<double>::quiet_NaN();
  c.high = std::numeric_limits<double>::infinity();
  std::string json = wire::to_json(c);
  EXPECT_NE(json.find("\"vwap\":null"), std::string::npos);
  auto e = decode_ok(json);
  EXPECT_TRUE(std::isnan(e.candle.vwap));
  EXPECT_TRUE(std::isnan(e.candle.high));
}

TEST(Wire, AppendsToTheCallersBufferWithoutAllocatingOnceWarm) {
  std::string buffer;
  buffer.reserve(4096);
  const char* data = buffer.data();
  const Candle c = sample_candle();
  for (int i = 0; i < 10; ++i) wire::append(buffer, c, static_cast<std::uint64_t>(i + 1));
  EXPECT_EQ(buffer.data(), data);  // no reallocation: the codec only appends
  EXPECT_EQ(std::count(buffer.begin(), buffer.end(), '}'), 10);
}

TEST(Wire, UnknownFieldsAndNestedValuesAreIgnored) {
  std::string json = wire::to_json(sample_candle());
  json.insert(json.size() - 1, R"(,"future":{"a":[1,2,{"b":null}],"c":"d"},"note":"x","n":1.5e3)");
  auto e = decode_ok(json);
  EXPECT_EQ(e.candle.trade_count, 4321u);
}

TEST(Wire, FieldsInAnyOrderAndTheLastOfARepeatedNameCount) {
  // Our writers' order is found at the first probe; any other order still decodes.
  const auto reordered = decode_ok(
      R"({"side":"sell","trade_count":2,"trade_id":9,"quantity":0.5,"price":10.5,"time":7,"symbol":"B","type":"tick","v":1})");
  EXPECT_EQ(reordered.tick.symbol, "B");
  EXPECT_EQ(reordered.tick.time, 7);
  EXPECT_EQ(reordered.tick.side, Side::sell);
  const auto repeated = decode_ok(
      R"({"v":1,"type":"tick","symbol":"A","time":1,"price":1,"quantity":1,"trade_id":1,"trade_count":1,"side":"buy","symbol":"LAST","price":2})");
  EXPECT_EQ(repeated.tick.symbol, "LAST");
  EXPECT_EQ(repeated.tick.price, 2);
}

TEST(Wire, EscapedKeysAndSlashEscapesAreDecoded) {
  std::string json = wire::to_json(sample_candle());
  auto at = json.find("\"symbol\"");
  json.replace(at, 8, "\"\\u0073ymbol\"");
  auto e = decode_ok(json);
  EXPECT_EQ(e.candle.symbol, "BTCUSDT");
  Signal s;
  s.symbol = "A";
  std::string sj = wire::to_json(s);
  sj.replace(sj.find("\"text\":\"\""), 9, R"("text":"a\/b \ud83d\udcc8")");
  EXPECT_EQ(decode_ok(sj).signal.text, "a/b \xf0\x9f\x93\x88");
}

TEST(Wire, WrongVersionTypeAndMissingFieldsAreClearErrors) {
  std::string candle = wire::to_json(sample_candle());
  std::string v2 = candle;
  v2.replace(v2.find("\"v\":1"), 5, "\"v\":2");
  EXPECT_EQ(decode_error(v2), "unsupported version 2 (this reader knows 1)");
  std::string no_v = candle;
  no_v.erase(no_v.find("\"v\":1,"), 6);
  EXPECT_EQ(decode_error(no_v), "missing field 'v'");
  std::string bad_type = candle;
  bad_type.replace(bad_type.find("\"candle\""), 8, "\"bar\"");
  EXPECT_EQ(decode_error(bad_type), "unknown event type 'bar' (tick, candle or signal)");
  std::string string_price = candle;
  string_price.replace(string_price.find("\"open\":"), 7, "\"open\":\"1\",\"x\":");
  EXPECT_EQ(decode_error(string_price), "field 'open' must be a number");
  std::string float_count = candle;
  float_count.replace(float_count.find("\"trade_count\":4321"), 18, "\"trade_count\":4321.5");
  EXPECT_EQ(decode_error(float_count), "field 'trade_count' must be an integer in range");
  std::string negative_count = candle;
  negative_count.replace(negative_count.find("\"trade_count\":4321"), 18, "\"trade_count\":-1");
  EXPECT_EQ(decode_error(negative_count), "field 'trade_count' must be an integer in range");
  std::string bad_interval = candle;
  bad_interval.replace(bad_interval.find("\"1h\""), 4, "\"7m\"");
  EXPECT_NE(decode_error(bad_interval).find("field 'interval' must be an interval name"), std::string::npos);
  std::string no_close = candle;
  no_close.replace(no_close.find("\"close\":"), 8, "\"klose\":");
  EXPECT_EQ(decode_error(no_close), "missing field 'close'");
  std::string bool_as_int = candle;
  bool_as_int.replace(bool_as_int.find("\"closed\":true"), 13, "\"closed\":1");
  EXPECT_EQ(decode_error(bool_as_int), "field 'closed' must be true or false");
}

TEST(Wire, MalformedJsonIsAnErrorNeverACrash) {
  const char* inputs[] = {"",
                          "   ",
                          "[]",
                          "{",
                          "{\"v\"",
                          "{\"v\":}",
                          "{\"v\":1,}",
                          "{\"v\":01}",
                          "{\"v\":1.}",
                          "{\"v\":-}",
                          "{\"v\":1e}",
                          "{\"v\":tru}",
                          "{\"v\":1} x",
                          "{\"v\":1 \"type\":\"tick\"}",
                          "{\"a\":\"unterminated}",
                          "{\"a\":\"bad \\x escape\"}",
                          "{\"a\":\"\\u12\"}",
                          "{\"a\":\"\\ud800\"}",
                          "{\"a\":\"\\udc00\"}",
                          "{\"a\":\"raw\ncontrol\"}",
                          "{\"a\":\"\xc0\xaf\"}",
                          "{\"a\":[1,2}",
                          "{\"a\":{\"b\" 1}}",
                          "{\"v\":1e999,\"type\":\"tick\"}",
                          "{1:2}"};
  for (const char* in : inputs) decode_error(in);
  std::string deep = "{\"a\":" + std::string(40, '[') + std::string(40, ']') + "}";
  EXPECT_NE(decode_error(deep).find("nested deeper"), std::string::npos);
}

TEST(Wire, SizeLimitIsEnforcedBeforeParsing) {
  std::string json = wire::to_json(sample_candle());
  EXPECT_NE(decode_error(json, 100).find("exceeds the limit of 100"), std::string::npos);
}

TEST(Wire, TooManyFieldsIsAnError) {
  std::string json = "{";
  for (int i = 0; i < 70; ++i) json += "\"f" + std::to_string(i) + "\":1,";
  json += "\"v\":1}";
  EXPECT_NE(decode_error(json).find("more than 64 fields"), std::string::npos);
}

TEST(Wire, DecoderIsReusableAcrossMessages) {
  wire::Decoder decoder;
  wire::Event e;
  std::string error;
  Signal s;
  s.symbol = "LONG-SYMBOL-NAME";
  s.text = "\"quoted\"";
  ASSERT_TRUE(decoder.decode(wire::to_json(s), e, error)) << error;
  EXPECT_EQ(e.signal.text, "\"quoted\"");
  ASSERT_FALSE(decoder.decode("{\"v\":1}", e, error));
  const std::string candle = wire::to_json(sample_candle());  // the symbol views into it
  ASSERT_TRUE(decoder.decode(candle, e, error)) << error;
  EXPECT_EQ(e.candle.symbol, "BTCUSDT");
}

}  // namespace
}  // namespace tickd
