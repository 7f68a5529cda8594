// The HTTP + WebSocket server: admission (path, token, Origin, connection cap),
// the HTTP routes, and the hand-off of events from the observer's worker thread
// to the io shards (each a websocketpp endpoint with its own thread and clients).
#pragma once

#include "access_policy.hpp"
#include "config.hpp"
#include "event.hpp"
#include "http_routes.hpp"
#include "io_shard.hpp"
#include "series_table.hpp"
#include "sessions.hpp"
#include "static_files.hpp"
#include "wspp.hpp"

#include <tickd/host.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <thread>
#include <unordered_set>

namespace tickd::ws {

class Server {
 public:
  Server(const Host& host, Config config, SeriesTable table, StaticFiles files);
  ~Server();

  // Binds and starts the io threads; throws std::runtime_error when it cannot listen.
  void start();
  // Closes every client (1001) and joins the io threads. Idempotent.
  void stop();

  // Worker thread.
  void publish_candle(const Candle& candle);
  void publish_signal(const Signal& signal);

  std::uint16_t port() const { return port_; }
  // Runs on the io threads and waits for them.
  SessionStats stats();

 private:
  struct Route {
    Stream stream;
    std::vector<SeriesId> initial;
  };
  std::optional<Route> route_ws(const std::string& path) const;
  void install_handlers(IoShard& shard);
  bool validate(IoShard& shard, websocketpp::connection_hdl hdl);
  void on_open(IoShard& shard, websocketpp::connection_hdl hdl);
  void on_gone(IoShard& shard, websocketpp::connection_hdl hdl);
  void on_http(IoShard& shard, websocketpp::connection_hdl hdl);
  void refuse(IoShard& shard, const ConnectionPtr& con, const Refusal& refusal, const char* what);
  void push(Event&& event);
  nlohmann::json server_stats() const;

  const Host& host_;
  Config config_;
  SeriesTable table_;
  StaticFiles files_;
  AccessPolicy access_;
  HttpRoutes routes_;
  std::vector<std::unique_ptr<IoShard>> shards_;
  // Across shards: validated or open connections (for max_connections), and
  // open clients.
  std::atomic<std::size_t> connections_{0};
  std::atomic<std::size_t> client_count_{0};
  std::atomic<std::uint64_t> refused_{0};
  std::uint16_t port_ = 0;
  bool started_ = false;
};

}  // namespace tickd::ws
