// The C++ strategy plugin's signals on a CSV series (date,open,high,low,close,
// volume), one wire JSON line each: the oracle the Python EMA-crossover example
// is compared with (tests/sdk/python/test_examples.py).
//   dump_signals <csv> <fast> <slow>
#include "btc_series.hpp"
#include "strategy_observer.hpp"

#include <tickd/testing/fake_host.hpp>
#include <tickd/wire.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: dump_signals <csv> <fast> <slow>\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << "cannot open " << argv[1] << "\n";
    return 2;
  }
  tickd::testing::FakeHost fake("ema_cross",
                                {{"rules",
                                  {{{"name", "ema"},
                                    {"type", "ma_cross"},
                                    {"fast", std::stoi(argv[2])},
                                    {"slow", std::stoi(argv[3])},
                                    {"ma", "ema"}}}}},
                                {"BTCUSDT"}, {*tickd::Interval::parse("1h")});
  tickd::strategy::StrategyObserver observer;
  observer.start(fake.host());
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string f[6];
    for (auto& s : f) std::getline(fields, s, ',');
    tickd::Candle c;
    c.symbol = "BTCUSDT";
    c.interval = *tickd::Interval::parse("1h");
    c.open_time = std::stoll(f[0]);
    c.open = std::stod(f[1]);
    c.high = std::stod(f[2]);
    c.low = std::stod(f[3]);
    c.close = std::stod(f[4]);
    c.volume = std::stod(f[5]);
    c.closed = true;
    observer.on_candle(c);
  }
  observer.stop();
  std::string out;
  for (const auto& s : fake.published()) {
    tickd::wire::append(out, s);
    out += '\n';
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
