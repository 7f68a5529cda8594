// Command line of ws_load.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tickd::bench {

struct LoadOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::string token;
  int clients = 100;
  int series_per_client = 3;
  std::vector<std::string> symbols;    // default: the daemon's (/info)
  std::vector<std::string> intervals;  // default: the daemon's
  double duration_s = 10;
  double warmup_s = 2;
  int threads = 1;
  int max_pending_handshakes = 200;
};

// Exits with a usage message on bad arguments.
LoadOptions parse_load_options(int argc, char** argv);

}  // namespace tickd::bench
