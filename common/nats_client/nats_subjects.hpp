// The NATS subjects and JetStream message ids tickd publishes under, shared by
// the `nats` observer plugin (ingest) and `feed.kind: nats` (edge):
//
//   <prefix>.tick.<SYMBOL>                  ticks              core NATS
//   <prefix>.candle.<SYMBOL>.<interval>     open-candle updates core NATS
//   <prefix>.closed.<SYMBOL>.<interval>     closed candles     JetStream
//   <prefix>.signal.<SYMBOL>                signals            JetStream
//
// A symbol becomes one subject token reversibly: bytes other than A-Z a-z 0-9
// '_' and '-' are written as '%' and two upper-case hex digits ("NSE:INFY" ->
// "NSE%3AINFY", "BRK.B" -> "BRK%2EB", "%" -> "%25"). So a token never holds
// '.', '*', '>' or white space, and every symbol has exactly one token.
//
// A closed candle's message id is "<SYMBOL>|<interval>|<open time ms>|<revision>"
// (revision 0 for the first close, +1 per amendment by a late tick), so the
// stream stores a candle published twice (a retry, a second ingest) once.
// Header-only; standard library only.
#pragma once

#include <tickd/types.hpp>
#include <tickd/url_path.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tickd::nats_subjects {

inline bool is_plain_byte(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

inline std::string encode_symbol(std::string_view symbol) { return percent_encode(symbol, is_plain_byte); }

// nullopt for a token that encode_symbol cannot have produced.
inline std::optional<std::string> decode_symbol(std::string_view token) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(token.size());
  for (std::size_t i = 0; i < token.size(); ++i) {
    const auto c = static_cast<unsigned char>(token[i]);
    if (is_plain_byte(c)) {
      out += static_cast<char>(c);
      continue;
    }
    if (c != '%' || i + 2 >= token.size()) return std::nullopt;
    const int hi = digit(token[i + 1]), lo = digit(token[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    const auto byte = static_cast<unsigned char>(hi * 16 + lo);
    if (is_plain_byte(byte)) return std::nullopt;  // not canonical: two tokens for one symbol
    out += static_cast<char>(byte);
    i += 2;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

inline std::string tick(std::string_view prefix, std::string_view symbol) {
  return std::string(prefix) + ".tick." + encode_symbol(symbol);
}
inline std::string candle(std::string_view prefix, std::string_view symbol, Interval interval) {
  return std::string(prefix) + ".candle." + encode_symbol(symbol) + "." + std::string(interval.name());
}
inline std::string closed(std::string_view prefix, std::string_view symbol, Interval interval) {
  return std::string(prefix) + ".closed." + encode_symbol(symbol) + "." + std::string(interval.name());
}
inline std::string signal(std::string_view prefix, std::string_view symbol) {
  return std::string(prefix) + ".signal." + encode_symbol(symbol);
}

inline std::string candle_message_id(std::string_view symbol, Interval interval, TimeMs open_time,
                                     std::uint32_t revision) {
  return std::string(symbol) + "|" + std::string(interval.name()) + "|" + std::to_string(open_time) + "|" +
         std::to_string(revision);
}

// The revision a closed candle's message id carries (its last '|' field; the
// symbol before it may hold '|' too); nullopt for an id that is not one.
inline std::optional<std::uint32_t> candle_revision(std::string_view id) {
  const auto bar = id.rfind('|');
  if (bar == std::string_view::npos || bar + 1 == id.size() || id.size() - bar > 11) return std::nullopt;
  std::uint64_t revision = 0;
  for (char c : id.substr(bar + 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    revision = revision * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (revision > UINT32_MAX) return std::nullopt;
  return static_cast<std::uint32_t>(revision);
}

// The parts of a subject under `prefix`: kind ("tick", "candle", "closed",
// "signal"), symbol (decoded) and interval (candles only).
struct ParsedSubject {
  std::string kind;
  std::string symbol;
  Interval interval;
};

inline std::optional<ParsedSubject> parse(std::string_view prefix, std::string_view subject) {
  if (subject.size() <= prefix.size() + 1 || subject.substr(0, prefix.size()) != prefix ||
      subject[prefix.size()] != '.')
    return std::nullopt;
  std::string_view rest = subject.substr(prefix.size() + 1);
  std::string_view parts[3];
  std::size_t n = 0;
  while (n < 3) {
    const auto dot = rest.find('.');
    parts[n++] = rest.substr(0, dot);
    if (dot == std::string_view::npos) break;
    rest = rest.substr(dot + 1);
    if (n == 3) return std::nullopt;  // more tokens than any kind has
  }
  ParsedSubject out;
  out.kind = std::string(parts[0]);
  const bool with_interval = out.kind == "candle" || out.kind == "closed";
  if (!with_interval && out.kind != "tick" && out.kind != "signal") return std::nullopt;
  if (n != (with_interval ? 3u : 2u)) return std::nullopt;
  auto symbol = decode_symbol(parts[1]);
  if (!symbol) return std::nullopt;
  out.symbol = std::move(*symbol);
  if (with_interval) {
    auto iv = Interval::parse(parts[2]);
    if (!iv) return std::nullopt;
    out.interval = *iv;
  }
  return out;
}

}  // namespace tickd::nats_subjects
