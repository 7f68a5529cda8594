// Reads the recorded Binance WebSocket captures of ../shared/data/binance-ws-2021:
// one "<receive time>: <frame>" per line, plus lines that are not frames
// (the subscribe URL, REST snapshots "https://... -> <time>: <body>",
// "configuration: {...}").
#pragma once

#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace tickd::core::testing {

struct BinanceCapture {
  std::vector<std::string> frames;
  std::vector<std::string> symbols;  // upper-case, from the subscribe URL's stream names
};

inline BinanceCapture read_binance_capture(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  BinanceCapture capture;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("wss://", 0) == 0) {
      // wss://host/stream?streams=btcusdt@aggTrade/ethusdt@kline_1m <-> <time>
      const auto start = line.find("streams=");
      const auto end = line.find(' ', start);
      std::istringstream streams(line.substr(start + 8, end - start - 8));
      std::string stream;
      while (std::getline(streams, stream, '/')) {
        std::string symbol = stream.substr(0, stream.find('@'));
        for (char& c : symbol) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        bool known = false;
        for (const auto& s : capture.symbols) known = known || s == symbol;
        if (!known) capture.symbols.push_back(symbol);
      }
      continue;
    }
    if (line.empty() || !std::isdigit(static_cast<unsigned char>(line[0]))) continue;
    const auto separator = line.find(": ");
    if (separator == std::string::npos) continue;
    capture.frames.push_back(line.substr(separator + 2));
  }
  return capture;
}

}  // namespace tickd::core::testing
