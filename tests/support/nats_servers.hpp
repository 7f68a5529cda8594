// Private NATS servers for tests: one nats-server with JetStream, or a 3-node
// cluster (routes on loopback, JetStream replicated), each in a temporary
// store directory on free loopback ports. They throw (so the test fails, never
// skips) with the server's own log when nats-server is missing or does not
// become ready.
#pragma once

#include "support/local_servers.hpp"

#include <array>

namespace tickd::test_support {

inline constexpr const char* kNatsServerBinary = "/usr/sbin/nats-server";

// A blocking GET of a monitoring path; the HTTP status, 0 when unreachable.
inline int nats_monitor_status(int port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (fd >= 0) ::close(fd);
    return 0;
  }
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  std::string raw;
  if (::send(fd, request.data(), request.size(), 0) > 0) {
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) raw.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  const auto space = raw.find(' ');
  return space == std::string::npos ? 0 : std::atoi(raw.c_str() + space + 1);
}

// One nats-server process. `cluster_port` and `routes` are empty for a
// standalone server.
class NatsServer {
 public:
  struct Options {
    std::string name = "tickd-test";
    int port = 0;  // 0: a free one
    int cluster_port = 0;
    std::vector<int> route_ports;  // the other nodes' cluster ports
    std::vector<std::string> extra_args;
  };

  NatsServer() : NatsServer(Options{}) {}
  explicit NatsServer(Options options) : options_(std::move(options)) {
    if (options_.port == 0) options_.port = free_port();
    monitor_port_ = free_port();
    start();
  }
  ~NatsServer() { stop(); }
  NatsServer(const NatsServer&) = delete;
  NatsServer& operator=(const NatsServer&) = delete;

  // Starts (again) on the same ports and store, so JetStream keeps its data.
  void start(bool wait_ready = true) {
    if (!std::filesystem::exists(kNatsServerBinary))
      throw std::runtime_error(std::string("nats-server is not installed: no ") + kNatsServerBinary +
                               " (apt-get install nats-server)");
    std::vector<std::string> argv = {kNatsServerBinary,
                                     "--addr",
                                     "127.0.0.1",
                                     "--port",
                                     std::to_string(options_.port),
                                     "--http_port",
                                     std::to_string(monitor_port_),
                                     "--server_name",
                                     options_.name,
                                     "--jetstream",
                                     "--store_dir",
                                     dir_.file("store")};
    if (options_.cluster_port != 0) {
      argv.insert(argv.end(), {"--cluster_name", "tickd-test", "--cluster",
                               "nats://127.0.0.1:" + std::to_string(options_.cluster_port)});
      std::string routes;
      for (int p : options_.route_ports)
        routes += (routes.empty() ? "" : ",") + std::string("nats://127.0.0.1:") + std::to_string(p);
      if (!routes.empty()) argv.insert(argv.end(), {"--routes", routes});
    }
    argv.insert(argv.end(), options_.extra_args.begin(), options_.extra_args.end());
    process_ = std::make_unique<ChildProcess>(argv, log_path());
    if (!wait_ready) return;
    if (!wait_until([&] { return port_accepts(options_.port) || !process_->running(); },
                    std::chrono::seconds(10)) ||
        !process_->running())
      throw std::runtime_error("nats-server did not start on port " + std::to_string(options_.port) + ":\n" +
                               read_text(log_path()));
    if (options_.cluster_port == 0) wait_jetstream(std::chrono::seconds(10));
  }

  // Healthy means JetStream is up and, in a cluster, current with its peers.
  bool jetstream_ready() const { return nats_monitor_status(monitor_port_, "/healthz") == 200; }
  void wait_jetstream(std::chrono::milliseconds timeout) const {
    if (!wait_until([&] { return jetstream_ready(); }, timeout))
      throw std::runtime_error("nats-server " + options_.name + " JetStream not ready:\n" +
                               read_text(log_path()));
  }

  void stop() {
    if (!process_) return;
    process_->signal(SIGTERM);
    process_->wait();
    process_.reset();
  }
  void kill_hard() {
    if (!process_) return;
    process_->signal(SIGKILL);
    process_->wait();
    process_.reset();
  }
  bool running() const { return process_ != nullptr; }

  int port() const { return options_.port; }
  int monitor_port() const { return monitor_port_; }
  std::string url() const { return "nats://127.0.0.1:" + std::to_string(options_.port); }
  std::string log_path() const { return dir_.file("nats.log"); }
  std::string log() const { return read_text(log_path()); }

 private:
  TempDir dir_{"tickd-nats"};
  Options options_;
  int monitor_port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

// Three nats-servers joined by routes on loopback: streams with replicas 3
// survive the loss of any one node.
class NatsCluster {
 public:
  NatsCluster() {
    std::array<int, 3> client{free_port(), free_port(), free_port()};
    std::array<int, 3> cluster{free_port(), free_port(), free_port()};
    for (std::size_t i = 0; i < 3; ++i) {
      NatsServer::Options o;
      o.name = "n" + std::to_string(i + 1);
      o.port = client[i];
      o.cluster_port = cluster[i];
      for (std::size_t j = 0; j < 3; ++j)
        if (j != i) o.route_ports.push_back(cluster[j]);
      nodes_[i] = std::make_unique<NatsServer>(std::move(o));
    }
    // A JetStream meta leader is elected once the routes are up.
    for (auto& n : nodes_) n->wait_jetstream(std::chrono::seconds(30));
  }

  NatsServer& node(std::size_t i) { return *nodes_.at(i); }
  // All three client URLs, comma separated, as a client's server list.
  std::string urls() const {
    std::string out;
    for (const auto& n : nodes_) out += (out.empty() ? "" : ",") + n->url();
    return out;
  }

 private:
  std::array<std::unique_ptr<NatsServer>, 3> nodes_;
};

}  // namespace tickd::test_support
