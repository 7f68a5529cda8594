// Indian Standard Time (UTC+05:30, no daylight saving) as the Indian brokers'
// REST APIs write it: request dates are IST wall-clock text, candle times are
// ISO 8601 with an offset ("2021-07-05T09:15:00+0530" from Kite,
// "2023-09-06T11:15:00+05:30" from SmartAPI).
#pragma once

#include <tickd/types.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace tickd::core {

constexpr TimeMs kIstOffsetMs = (5 * 60 + 30) * 60 * 1000LL;

// "yyyy-mm-dd hh:mm:ss" (with_seconds) or "yyyy-mm-dd hh:mm", in IST.
std::string format_ist(TimeMs t, bool with_seconds);

// "yyyy-mm-ddThh:mm:ss" followed by Z, +hhmm or +hh:mm (or -); UTC ms.
// nullopt for anything else.
std::optional<TimeMs> parse_iso_time(std::string_view text);

}  // namespace tickd::core
