#include "config/duration.hpp"

#include <cmath>
#include <cstdlib>
#include <string>

namespace tickd::core {

namespace {

struct Unit {
  std::string_view suffix;
  double ms;
};

// "ms" must be tried before "m" and "s".
constexpr Unit kUnits[] = {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}};

bool is_plain_decimal(std::string_view text) {
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

}  // namespace

std::optional<std::int64_t> parse_duration_ms(std::string_view text) {
  double scale = 1000;  // no suffix: seconds
  std::string_view number = text;
  for (const auto& unit : kUnits) {
    if (text.size() > unit.suffix.size() && text.substr(text.size() - unit.suffix.size()) == unit.suffix) {
      number = text.substr(0, text.size() - unit.suffix.size());
      scale = unit.ms;
      break;
    }
  }
  // strtod alone would accept "inf", "1e9", hex and leading spaces.
  if (!is_plain_decimal(number)) return std::nullopt;
  const double value = std::strtod(std::string(number).c_str(), nullptr) * scale;
  // A century is far beyond any sensible timeout and keeps the cast defined.
  if (!(value >= 0) || value > 3.2e12) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(value));
}

}  // namespace tickd::core
