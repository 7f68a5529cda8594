// The first rows of the real BTCUSDT 1h series and the reference values that
// reference/talib_reference.py computed for them.
#pragma once

#include <tickd/types.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace tickd::strategy::test {

inline std::vector<Candle> load_btc_1h(std::size_t rows) {
  const std::string path = TICKD_DATA_DIR "/btcusdt-1h/BTCUSDT-1h-2017-2023.csv";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::string line;
  std::getline(in, line);  // header
  std::vector<Candle> out;
  while (out.size() < rows && std::getline(in, line)) {
    std::istringstream fields(line);
    std::string f[6];
    for (auto& s : f) std::getline(fields, s, ',');
    Candle c;
    c.symbol = "BTCUSDT";
    c.interval = *Interval::parse("1h");
    c.open_time = std::stoll(f[0]);
    c.open = std::stod(f[1]);
    c.high = std::stod(f[2]);
    c.low = std::stod(f[3]);
    c.close = std::stod(f[4]);
    c.volume = std::stod(f[5]);
    c.closed = true;
    out.push_back(c);
  }
  return out;
}

inline nlohmann::json load_reference() {
  const std::string path = TICKD_SOURCE_DIR "/tests/plugins/strategy/reference/btcusdt_1h_first300.json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  return nlohmann::json::parse(in);
}

}  // namespace tickd::strategy::test
