// The daemon's admin HTTP endpoint (daemon.admin_listen, loopback by default):
// GET /metrics in Prometheus text format and GET /health as JSON. Runs on its
// own thread so that a stuck feed thread still answers (and shows as stale).
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace tickd::core {

class AdminServer {
 public:
  // Both providers are called on the admin thread and must be thread-safe.
  AdminServer(std::function<std::string()> metrics, std::function<std::string()> health);
  ~AdminServer();

  // "host:port"; port 0 picks a free one. Throws std::runtime_error when it
  // cannot listen.
  void start(const std::string& listen);
  void stop();
  unsigned short port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "host:port" -> (host, port); throws std::invalid_argument naming the value.
std::pair<std::string, unsigned short> split_host_port(const std::string& address);

}  // namespace tickd::core
