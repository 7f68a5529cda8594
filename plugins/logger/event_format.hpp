// One line of text or JSON per event.
#pragma once

#include <tickd/types.hpp>

#include <string>

namespace tickd::logger {

enum class Format { text, json };

std::string format_time(TimeMs ms);  // 2021-04-04T20:03:11.326Z
std::string format_tick(const Tick& t, Format f);
std::string format_candle(const Candle& c, Format f);
std::string format_signal(const Signal& s, Format f);

}  // namespace tickd::logger
