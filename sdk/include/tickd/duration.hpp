// The one duration syntax of tickd, for the daemon's config and every plugin's:
// "250ms", "30s", "5m", "1h", "1d", or a plain number of seconds ("10", "0.25").
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace tickd {

namespace detail {

// Digits with at most one dot: strtod alone would accept "inf", "1e9", hex,
// leading spaces and signs.
inline bool is_plain_decimal(std::string_view text) {
  bool digit = false, dot = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digit;
}

}  // namespace detail

// A century is far beyond any sensible timeout and keeps the conversions defined.
constexpr std::int64_t kMaxDurationMs = 3'200'000'000'000;

// Milliseconds, rounded to the nearest; nullopt for anything malformed or
// negative ("1.2.3s", "1..5m", "-1s", "1 s", "1e3"). Fractions are allowed
// ("1.5s", "0.25"), so a plain number of seconds and its unit-suffixed spelling
// mean the same thing.
inline std::optional<std::int64_t> parse_duration_ms(std::string_view text) {
  struct Unit {
    std::string_view suffix;
    double ms;
  };
  // "ms" must be tried before "m" and "s".
  static constexpr Unit kUnits[] = {
      {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}};
  double scale = 1000;  // no suffix: seconds
  std::string_view number = text;
  for (const auto& unit : kUnits) {
    if (text.size() > unit.suffix.size() && text.substr(text.size() - unit.suffix.size()) == unit.suffix) {
      number = text.substr(0, text.size() - unit.suffix.size());
      scale = unit.ms;
      break;
    }
  }
  if (!detail::is_plain_decimal(number)) return std::nullopt;
  const double value = std::strtod(std::string(number).c_str(), nullptr) * scale;
  if (!(value >= 0) || value > static_cast<double>(kMaxDurationMs)) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(value));
}

// The shortest exact spelling: 86400000 -> "1d", 90000 -> "90s", 1500 -> "1500ms".
inline std::string format_duration(std::int64_t ms) {
  if (ms > 0 && ms % 86'400'000 == 0) return std::to_string(ms / 86'400'000) + "d";
  if (ms > 0 && ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms > 0 && ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace tickd
