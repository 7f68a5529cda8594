#include "event_format.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>

namespace tickd::logger {

std::string format_time(TimeMs ms) {
  std::time_t secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(((ms % 1000) + 1000) % 1000));
  return buf;
}

std::string format_tick(const Tick& t, Format f) {
  if (f == Format::json)
    return nlohmann::json{{"event", "tick"},         {"symbol", t.symbol},       {"time", t.time},
                          {"price", t.price},        {"quantity", t.quantity},   {"trade_id", t.trade_id},
                          {"trades", t.trade_count}, {"side", side_name(t.side)}}
        .dump();
  char buf[256];
  std::snprintf(buf, sizeof buf, "tick %.*s %s price=%.10g qty=%.10g side=%.*s id=%lld",
                static_cast<int>(t.symbol.size()), t.symbol.data(), format_time(t.time).c_str(), t.price,
                t.quantity, static_cast<int>(side_name(t.side).size()), side_name(t.side).data(),
                static_cast<long long>(t.trade_id));
  return buf;
}

std::string format_candle(const Candle& c, Format f) {
  const char* event = c.closed ? "candle_closed" : "candle_update";
  if (f == Format::json)
    return nlohmann::json{{"event", event},
                          {"symbol", c.symbol},
                          {"interval", c.interval.name()},
                          {"open_time", c.open_time},
                          {"open", c.open},
                          {"high", c.high},
                          {"low", c.low},
                          {"close", c.close},
                          {"volume", c.volume},
                          {"quote_volume", c.quote_volume},
                          {"vwap", c.vwap},
                          {"trades", c.trade_count},
                          {"partial", c.partial},
                          {"filled", c.filled}}
        .dump();
  char buf[384];
  std::snprintf(
      buf, sizeof buf, "%s %.*s %.*s %s O=%.10g H=%.10g L=%.10g C=%.10g V=%.10g VWAP=%.10g trades=%llu%s%s",
      event, static_cast<int>(c.symbol.size()), c.symbol.data(), static_cast<int>(c.interval.name().size()),
      c.interval.name().data(), format_time(c.open_time).c_str(), c.open, c.high, c.low, c.close, c.volume,
      c.vwap, static_cast<unsigned long long>(c.trade_count), c.partial ? " partial" : "",
      c.filled ? " filled" : "");
  return buf;
}

std::string format_signal(const Signal& s, Format f) {
  if (f == Format::json)
    return nlohmann::json{{"event", "signal"},
                          {"symbol", s.symbol},
                          {"interval", s.interval.valid() ? std::string(s.interval.name()) : std::string()},
                          {"time", s.time},
                          {"side", side_name(s.side)},
                          {"strength", s.strength},
                          {"price", s.price},
                          {"source", s.source},
                          {"text", s.text}}
        .dump();
  return "signal " + s.symbol + " " + (s.interval.valid() ? std::string(s.interval.name()) + " " : "") +
         format_time(s.time) + " " + std::string(side_name(s.side)) +
         " strength=" + std::to_string(s.strength) + " source=" + s.source +
         (s.text.empty() ? "" : " " + s.text);
}

}  // namespace tickd::logger
