#include "load_options.hpp"

#include <cstdlib>
#include <iostream>
#include <sstream>

namespace tickd::bench {
namespace {

[[noreturn]] void usage(const std::string& why) {
  if (!why.empty()) std::cerr << "ws_load: " << why << "\n";
  std::cerr << "usage: ws_load [--host 127.0.0.1] [--port 8080[,8081...]] [--token T] [--clients N]\n"
               "               [--series-per-client K] [--symbols A,B,...] [--intervals 1s,1m,...]\n"
               "               [--feed-port 9900] [--ticks-per-second 1000]\n"
               "               [--duration SECONDS] [--warmup SECONDS] [--threads T]\n"
               "Plays a Binance-like aggTrade stream on ws://127.0.0.1:<feed-port>/stream for the\n"
               "daemon's binance feed (see bench/ws_load/run.sh), waits for the daemon to connect,\n"
               "then opens N clients on ws://host:port/ws/candles, each subscribed to K series (round\n"
               "robin over symbols x intervals; 0: connected and idle; clients round robin over the\n"
               "ports given), and reports delivered\n"
               "messages/s and tick-to-client latency (trade sent -> candle update received):\n"
               "p50/p99/max.\n";
  std::exit(2);
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

double number(const std::string& flag, const std::string& value) {
  char* end = nullptr;
  double v = std::strtod(value.c_str(), &end);
  if (end == value.c_str() || *end != '\0' || v < 0) usage(flag + " needs a non-negative number");
  return v;
}

}  // namespace

LoadOptions parse_load_options(int argc, char** argv) {
  LoadOptions o;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") usage("");
    if (i + 1 >= argc) usage(flag + " needs a value");
    std::string v = argv[++i];
    if (flag == "--host")
      o.host = v;
    else if (flag == "--port")
      for (const std::string& port : split(v))
        o.ports.push_back(static_cast<std::uint16_t>(number(flag, port)));
    else if (flag == "--token")
      o.token = v;
    else if (flag == "--clients")
      o.clients = static_cast<int>(number(flag, v));
    else if (flag == "--series-per-client")
      o.series_per_client = static_cast<int>(number(flag, v));
    else if (flag == "--symbols")
      o.symbols = split(v);
    else if (flag == "--intervals")
      o.intervals = split(v);
    else if (flag == "--duration")
      o.duration_s = number(flag, v);
    else if (flag == "--warmup")
      o.warmup_s = number(flag, v);
    else if (flag == "--feed-port")
      o.feed_port = static_cast<std::uint16_t>(number(flag, v));
    else if (flag == "--ticks-per-second")
      o.ticks_per_second = number(flag, v);
    else if (flag == "--threads")
      o.threads = static_cast<int>(number(flag, v));
    else
      usage("unknown option " + flag);
  }
  if (o.ports.empty()) o.ports.push_back(o.port);
  o.port = o.ports.front();
  if (o.symbols.empty())
    o.symbols = {"BTCUSDT",  "ETHUSDT", "BNBUSDT",  "SOLUSDT",  "XRPUSDT", "ADAUSDT",  "DOGEUSDT",
                 "TRXUSDT",  "DOTUSDT", "LINKUSDT", "LTCUSDT",  "BCHUSDT", "AVAXUSDT", "XLMUSDT",
                 "ATOMUSDT", "ETCUSDT", "FILUSDT",  "NEARUSDT", "APTUSDT", "ARBUSDT"};
  if (o.clients < 1 || o.threads < 1) usage("clients and threads must be at least 1");
  if (o.series_per_client < 0) usage("--series-per-client must be 0 (idle clients) or more");
  return o;
}

}  // namespace tickd::bench
