// The fast path of the event decoder (tickd/wire.hpp): reads a tick or candle
// written in exactly the form append() writes it (key order, no white space,
// no escapes, no null) without building a field table. Anything else, even
// valid, is declined and the general reader (json_reader.hpp) decides, so the
// two never disagree: what this accepts, the general reader accepts with the
// same values (fuzz_wire_decoder checks that on every input).
//
// Why it exists: a process observer's child spends most of its time decoding,
// and looking fields up by name was half of that.
#pragma once

#include <tickd/types.hpp>
#include <tickd/wire/json_reader.hpp>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <system_error>

namespace tickd::wire::detail {

class ExactForm {
 public:
  explicit ExactForm(std::string_view text) : text_(text) {}

  template <std::size_t N>
  bool literal(const char (&s)[N]) {
    if (text_.size() - pos_ < N - 1 || std::memcmp(text_.data() + pos_, s, N - 1) != 0) return false;
    pos_ += N - 1;
    return true;
  }

  // A string of printable ASCII with no escape; a view into the text.
  bool string(std::string_view& out) {
    if (!literal("\"")) return false;
    const std::size_t start = pos_;
    for (;;) {
      while (pos_ + 8 <= text_.size()) {
        std::uint64_t w;
        std::memcpy(&w, text_.data() + pos_, 8);
        if (const std::uint64_t special = special_bytes(w)) {
          pos_ += first_special(special);
          break;
        }
        pos_ += 8;
      }
      if (pos_ >= text_.size()) return false;
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') break;
      if (c < 0x20 || c >= 0x80 || c == '\\') return false;
      ++pos_;
    }
    out = text_.substr(start, pos_ - start);
    ++pos_;
    return true;
  }

  // A JSON number converted as json_to_double / json_to_integer would.
  template <typename Number>
  bool number(Number& out) {
    const std::size_t n = number_length(text_, pos_);
    if (n == 0) return false;
    const char* first = text_.data() + pos_;
    const auto r = std::from_chars(first, first + n, out);
    if (r.ec != std::errc() || r.ptr != first + n) return false;
    pos_ += n;
    return true;
  }

  // A number whose value nobody reads (close_time follows from the rest).
  bool skip_number() {
    const std::size_t n = number_length(text_, pos_);
    pos_ += n;
    return n != 0;
  }

  bool boolean(bool& out) {
    if (literal("true")) return out = true, true;
    if (literal("false")) return out = false, true;
    return false;
  }

  bool interval(Interval& out) {
    std::string_view name;
    if (!string(name)) return false;
    const auto parsed = Interval::parse(name);
    if (!parsed) return false;
    out = *parsed;
    return true;
  }

  bool side(Side& out) {
    std::string_view name;
    if (!string(name)) return false;
    const auto parsed = parse_side(name);
    if (!parsed) return false;
    out = *parsed;
    return true;
  }

  // The closing brace, then nothing but white space.
  bool end() {
    if (!literal("}")) return false;
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
    return pos_ == text_.size();
  }

  // `{"v":1,"type":"<type>"` and an optional `,"seq":N`.
  template <std::size_t N>
  bool head(const char (&type)[N], std::uint64_t& seq) {
    seq = 0;
    if (!literal("{\"v\":1,\"type\":\"") || !literal(type) || !literal("\"")) return false;
    return !literal(",\"seq\":") || number(seq);
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

inline bool decode_exact_tick(std::string_view json, std::uint64_t& seq, Tick& t) {
  ExactForm r(json);
  return r.head("tick", seq) && r.literal(",\"symbol\":") && r.string(t.symbol) && r.literal(",\"time\":") &&
         r.number(t.time) && r.literal(",\"price\":") && r.number(t.price) && r.literal(",\"quantity\":") &&
         r.number(t.quantity) && r.literal(",\"trade_id\":") && r.number(t.trade_id) &&
         r.literal(",\"trade_count\":") && r.number(t.trade_count) && r.literal(",\"side\":") &&
         r.side(t.side) && r.end();
}

inline bool decode_exact_candle(std::string_view json, std::uint64_t& seq, Candle& c) {
  ExactForm r(json);
  return r.head("candle", seq) && r.literal(",\"symbol\":") && r.string(c.symbol) &&
         r.literal(",\"interval\":") && r.interval(c.interval) && r.literal(",\"open_time\":") &&
         r.number(c.open_time) && r.literal(",\"close_time\":") && r.skip_number() &&
         r.literal(",\"open\":") && r.number(c.open) && r.literal(",\"high\":") && r.number(c.high) &&
         r.literal(",\"low\":") && r.number(c.low) && r.literal(",\"close\":") && r.number(c.close) &&
         r.literal(",\"volume\":") && r.number(c.volume) && r.literal(",\"quote_volume\":") &&
         r.number(c.quote_volume) && r.literal(",\"vwap\":") && r.number(c.vwap) &&
         r.literal(",\"trade_count\":") && r.number(c.trade_count) && r.literal(",\"closed\":") &&
         r.boolean(c.closed) && r.literal(",\"partial\":") && r.boolean(c.partial) &&
         r.literal(",\"filled\":") && r.boolean(c.filled) && r.end();
}

}  // namespace tickd::wire::detail
