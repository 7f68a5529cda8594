// The JSON shapes ws_broadcast sends. Candle times are seconds (what
// lightweight-charts expects) unless a field name says ms. `ts` is the server's
// wall clock in ms when the event reached the plugin, so clients (and the load
// tool) can measure delivery latency.
#pragma once

#include <tickd/types.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace tickd::ws {

// Which endpoint a WebSocket client came in on: decides the message format.
enum class Stream { candles = 0, symbol = 1, realtime = 2, legacy = 3 };
constexpr std::size_t kStreamCount = 4;

// {"time","open","high","low","close","volume"}
nlohmann::json chart_candle(const Candle& c);
nlohmann::json chart_candles(const std::vector<Candle>& candles);

// The live message for a candle update on `stream`, serialized.
std::string candle_message(Stream stream, const Candle& c, double ts_ms);
// The live message for a signal; empty for streams that carry no signals.
std::string signal_message(Stream stream, const Signal& s, double ts_ms);

std::string error_message(Stream stream, const std::string& text);
nlohmann::json error_body(const std::string& text);

}  // namespace tickd::ws
