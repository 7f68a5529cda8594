// ws_load: load tool for ws_broadcast. See load_options.cpp for the command line,
// run.sh for how it is run against the daemon, and docs/BENCHMARKS.md.
#include "client_pool.hpp"
#include "load_options.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <thread>

using namespace tickd::bench;

namespace {

// GET http://host:port<path>, body only; enough for /info.
std::string http_get(const LoadOptions& o, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(o.port);
  if (::inet_pton(AF_INET, o.host.c_str(), &addr.sin_addr) != 1)
    throw std::runtime_error("--host must be an IPv4 address");
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot connect to " + o.host + ":" + std::to_string(o.port));
  }
  std::string req = "GET " + path + " HTTP/1.1\r\nHost: " + o.host + "\r\nConnection: close\r\n";
  if (!o.token.empty()) req += "Authorization: Bearer " + o.token + "\r\n";
  req += "\r\n";
  if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
    ::close(fd);
    throw std::runtime_error("send failed");
  }
  std::string raw;
  char buf[8192];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof(buf), 0)) > 0) raw.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  auto body = raw.find("\r\n\r\n");
  if (raw.compare(0, 12, "HTTP/1.1 200") != 0 || body == std::string::npos)
    throw std::runtime_error("GET " + path + " failed: " + raw.substr(0, raw.find("\r\n")));
  return raw.substr(body + 4);
}

void print_line(const char* label, double seconds, const PoolSnapshot& s) {
  std::printf(
      "%-7s %5.1fs clients %6d closed %3d failed %3d %8.0f msg/s | tick->client p50 %6.2f p99 %6.2f max "
      "%6.2f ms"
      " | publish->client p50 %6.2f p99 %6.2f max %6.2f ms\n",
      label, seconds, s.connected, s.closed, s.failed,
      static_cast<double>(s.messages) / std::max(seconds, 1e-9), s.latency.quantile(0.5),
      s.latency.quantile(0.99), s.latency.max(), s.publish_latency.quantile(0.5),
      s.publish_latency.quantile(0.99), s.publish_latency.max());
  std::fflush(stdout);
}

// Waits for the daemon: its /info answers and its binance feed is on ours.
bool wait_for_daemon(const LoadOptions& o, const TradeFeed& feed, nlohmann::json& info) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(o.connect_timeout_s);
  std::string last_error;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      info = nlohmann::json::parse(http_get(o, "/info"));
      if (feed.connections() > 0) return true;
      last_error = "the daemon has not connected to the feed on port " + std::to_string(o.feed_port);
    } catch (const std::exception& e) {
      last_error = e.what();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::cerr << "ws_load: " << last_error << "\n";
  return false;
}

// Clients and the daemon on one machine need more descriptors than the usual
// soft limit.
void raise_open_file_limit() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
}

}  // namespace

int main(int argc, char** argv) {
  auto o = parse_load_options(argc, argv);
  raise_open_file_limit();
  TradeFeed feed(o.feed_port, o.symbols, o.ticks_per_second);
  nlohmann::json info;
  if (!wait_for_daemon(o, feed, info)) return 1;
  if (o.intervals.empty()) o.intervals = info.at("intervals").get<std::vector<std::string>>();
  std::vector<std::pair<std::string, std::string>> series;
  for (const auto& s : o.symbols)
    for (const auto& i : o.intervals) series.emplace_back(s, i);
  std::vector<std::string> subscriptions;
  for (int c = 0; c < o.clients; ++c) {
    nlohmann::json list = nlohmann::json::array();
    for (int k = 0; k < o.series_per_client; ++k) {
      const auto& [sym, iv] = series[(static_cast<std::size_t>(c) * o.series_per_client + k) % series.size()];
      list.push_back({{"symbol", sym}, {"interval", iv}});
    }
    subscriptions.push_back(nlohmann::json{{"subscriptions", list}}.dump());
  }
  std::printf(
      "ws_load: %d clients x %d series over %zu symbols x %zu intervals, %.0f ticks/s, %d threads, warmup "
      "%.0fs, %.0fs\n",
      o.clients, o.series_per_client, o.symbols.size(), o.intervals.size(), o.ticks_per_second, o.threads,
      o.warmup_s, o.duration_s);

  ClientPool pool(o, feed, std::move(subscriptions));
  pool.start();
  using clock = std::chrono::steady_clock;
  auto begin = clock::now();
  auto last = begin;
  PoolSnapshot total;
  double measured_s = 0;
  for (;;) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    auto now = clock::now();
    double dt = std::chrono::duration<double>(now - last).count();
    double elapsed = std::chrono::duration<double>(now - begin).count();
    last = now;
    auto s = pool.take();
    print_line(elapsed <= o.warmup_s ? "warmup" : "run", dt, s);
    if (elapsed > o.warmup_s) {
      total.add_traffic(s);
      measured_s += dt;
    }
    total.connected = s.connected;
    total.closed = s.closed;
    total.failed = s.failed;
    if (elapsed >= o.warmup_s + o.duration_s) break;
  }
  print_line("TOTAL", measured_s, total);
  const auto& start = total.publish_second_start;
  std::printf(
      "publish->client p99 of updates published in the first 100 ms of a second: %.2f ms (%.1f %% of them), "
      "later in the second: %.2f ms\n",
      start.quantile(0.99),
      100.0 * static_cast<double>(start.count()) /
          static_cast<double>(std::max<std::uint64_t>(total.publish_latency.count(), 1)),
      total.publish_mid_second.quantile(0.99));
  std::printf("feed: %llu trades sent\n", static_cast<unsigned long long>(feed.trades_sent()));
  pool.stop();
  return total.closed == 0 && total.failed == 0 ? 0 : 3;
}
