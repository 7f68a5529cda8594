// Helpers for the status and loss tests: a metric's value from /metrics, a
// TCP listener that accepts and never answers (a black-hole server).
#pragma once

#include "e2e/daemon_fixture.hpp"
#include "e2e/http_get.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>
#include <sstream>

namespace tickd::e2e {

// The value of the sample `series` (name with its labels, as printed), if present.
inline std::optional<double> metric_value(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  return std::nullopt;
}

inline double scrape(int port, const std::string& series) {
  auto v = metric_value(http_get(port, "/metrics").body, series);
  return v ? *v : -1;
}

// Listens on loopback and never accepts: the kernel completes each TCP
// handshake from the backlog, and nothing is ever answered.
class BlackHoleServer {
 public:
  BlackHoleServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd_, 128) != 0 || ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      throw std::runtime_error("BlackHoleServer: cannot listen on loopback");
    port_ = ntohs(addr.sin_port);
  }
  ~BlackHoleServer() { ::close(fd_); }
  BlackHoleServer(const BlackHoleServer&) = delete;
  BlackHoleServer& operator=(const BlackHoleServer&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

inline std::string daemon_section(int admin_port, const std::string& extra = "") {
  return "daemon:\n  plugin_dirs: [" TICKD_PLUGIN_DIR ", " TICKD_TEST_PLUGIN_DIR
         "]\n  admin_listen: 127.0.0.1:" +
         std::to_string(admin_port) + "\n" + extra;
}

inline std::string simulator_section(const std::string& intervals = "[1s]",
                                     const std::string& simulator = "") {
  return "feed:\n  kind: simulator\n  symbols: [BTCUSDT, ETHUSDT]\n  simulator: {ticks_per_second: 50" +
         simulator + "}\naggregator:\n  intervals: " + intervals + "\n";
}

}  // namespace tickd::e2e
