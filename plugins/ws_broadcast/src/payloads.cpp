#include "payloads.hpp"

namespace tickd::ws {
namespace {

nlohmann::json flat_candle(const Candle& c) {
  return {{"symbol", c.symbol},       {"interval", c.interval.name()},
          {"timestamp", c.open_time}, {"open", c.open},
          {"high", c.high},           {"low", c.low},
          {"close", c.close},         {"volume", c.volume},
          {"is_closed", c.closed}};
}

nlohmann::json signal_body(const Signal& s) {
  nlohmann::json j = {{"symbol", s.symbol},        {"time", s.time / 1000},  {"time_ms", s.time},
                      {"side", side_name(s.side)}, {"strength", s.strength}, {"price", s.price},
                      {"source", s.source},        {"text", s.text}};
  j["interval"] = s.interval.valid() ? nlohmann::json(s.interval.name()) : nlohmann::json(nullptr);
  return j;
}

}  // namespace

nlohmann::json chart_candle(const Candle& c) {
  return {{"time", c.open_time / 1000}, {"open", c.open},    {"high", c.high}, {"low", c.low},
          {"close", c.close},           {"volume", c.volume}};
}

nlohmann::json chart_candles(const std::vector<Candle>& candles) {
  auto out = nlohmann::json::array();
  for (const auto& c : candles) out.push_back(chart_candle(c));
  return out;
}

std::string candle_message(Stream stream, const Candle& c, double ts_ms) {
  switch (stream) {
    case Stream::candles: {
      auto candle = chart_candle(c);
      candle["closed"] = c.closed;
      return nlohmann::json{{"type", "candle"},
                            {"symbol", c.symbol},
                            {"interval", c.interval.name()},
                            {"candle", std::move(candle)},
                            {"ts", ts_ms}}
          .dump();
    }
    case Stream::symbol: {
      auto j = flat_candle(c);
      j["ts"] = ts_ms;
      return j.dump();
    }
    case Stream::realtime:
      return nlohmann::json{{"candle", chart_candle(c)}}.dump();
    case Stream::legacy: {
      auto data = flat_candle(c);
      data.erase("interval");
      data["timeframe"] = c.interval.name();
      data["time"] = c.open_time / 1000;
      return nlohmann::json{{"type", "candle"}, {"data", std::move(data)}, {"ts", ts_ms}}.dump();
    }
  }
  return {};
}

std::string signal_message(Stream stream, const Signal& s, double ts_ms) {
  switch (stream) {
    case Stream::candles: {
      auto j = signal_body(s);
      j["type"] = "signal";
      j["ts"] = ts_ms;
      return j.dump();
    }
    case Stream::legacy:
      return nlohmann::json{{"type", "signal"}, {"data", signal_body(s)}, {"ts", ts_ms}}.dump();
    case Stream::symbol:
    case Stream::realtime:
      break;
  }
  return {};
}

std::string error_message(Stream stream, const std::string& text) {
  if (stream == Stream::legacy)
    return nlohmann::json{{"type", "error"}, {"data", {{"message", text}}}}.dump();
  return nlohmann::json{{"type", "error"}, {"message", text}}.dump();
}

nlohmann::json error_body(const std::string& text) { return {{"error", text}}; }

}  // namespace tickd::ws
