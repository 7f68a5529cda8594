// Command line of ws_load.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tickd::bench {

struct LoadOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;         // the first of `ports`: /info is asked there
  std::vector<std::uint16_t> ports;  // clients round robin over these (several edges)
  std::string token;
  int clients = 100;
  int series_per_client = 3;
  std::uint16_t feed_port = 9900;      // the trade feed the daemon's binance feed connects to
  double ticks_per_second = 1000;      // in total, round robin over the symbols
  std::vector<std::string> symbols;    // default: 20 Binance spot pairs
  std::vector<std::string> intervals;  // default: the daemon's (/info)
  double connect_timeout_s = 60;       // for the daemon to come up and connect to the feed
  double duration_s = 10;
  double warmup_s = 2;
  int threads = 1;
  int max_pending_handshakes = 200;
};

// Exits with a usage message on bad arguments.
LoadOptions parse_load_options(int argc, char** argv);

}  // namespace tickd::bench
