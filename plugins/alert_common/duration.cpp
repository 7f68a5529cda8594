#include "alert_common/duration.hpp"

#include <cctype>
#include <cmath>
#include <stdexcept>

namespace tickd::alerts {

std::int64_t parse_duration_ms(const nlohmann::json& value, const std::string& what) {
  auto bad = [&] {
    return std::invalid_argument(what + " must be a duration like 250ms, 30s, 5m, 1h or 1d, got " +
                                 value.dump());
  };
  if (value.is_number()) {
    const double seconds = value.get<double>();
    if (!(seconds >= 0) || seconds > 1e9) throw bad();
    return static_cast<std::int64_t>(std::llround(seconds * 1000));
  }
  if (!value.is_string()) throw bad();
  const std::string text = value.get<std::string>();
  std::size_t digits = 0;
  while (digits < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.'))
    ++digits;
  if (digits == 0 || digits > 12) throw bad();
  double number = 0;
  try {
    number = std::stod(text.substr(0, digits));
  } catch (const std::exception&) {
    throw bad();
  }
  const std::string unit = text.substr(digits);
  double scale = 0;
  if (unit == "ms")
    scale = 1;
  else if (unit == "s")
    scale = 1000;
  else if (unit == "m")
    scale = 60000;
  else if (unit == "h")
    scale = 3600000;
  else if (unit == "d")
    scale = 86400000;
  else
    throw bad();
  return static_cast<std::int64_t>(std::llround(number * scale));
}

std::string format_duration(std::int64_t ms) {
  if (ms % 86400000 == 0 && ms > 0) return std::to_string(ms / 86400000) + "d";
  if (ms % 3600000 == 0 && ms > 0) return std::to_string(ms / 3600000) + "h";
  if (ms % 60000 == 0 && ms > 0) return std::to_string(ms / 60000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace tickd::alerts
