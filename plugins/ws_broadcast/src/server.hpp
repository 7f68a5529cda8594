// The HTTP + WebSocket server: websocketpp endpoint, its io thread, admission
// (path, token, Origin, connection cap) and the hand-off of events from the
// observer's worker thread to the io thread.
#pragma once

#include "access_policy.hpp"
#include "config.hpp"
#include "event.hpp"
#include "http_routes.hpp"
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

  // Binds and starts the io thread; throws std::runtime_error when it cannot listen.
  void start();
  // Closes every client (1001) and joins the io thread. Idempotent.
  void stop();

  // Worker thread.
  void publish_candle(const Candle& candle);
  void publish_signal(const Signal& signal);

  std::uint16_t port() const { return port_; }
  // Runs on the io thread and waits for it.
  SessionStats stats();

 private:
  struct Route {
    Stream stream;
    std::vector<SeriesId> initial;
  };
  std::optional<Route> route_ws(const std::string& path) const;
  bool validate(websocketpp::connection_hdl hdl);
  void on_open(websocketpp::connection_hdl hdl);
  void on_http(websocketpp::connection_hdl hdl);
  void refuse(const ConnectionPtr& con, const Refusal& refusal, const char* what);
  void push(Event&& event);
  void drain();
  void arm_retry();
  void arm_flush_timer();
  void run_io();
  void wait_for_clients(std::chrono::steady_clock::time_point deadline);
  nlohmann::json server_stats() const;

  const Host& host_;
  Config config_;
  SeriesTable table_;
  StaticFiles files_;
  AccessPolicy access_;
  HttpRoutes routes_;
  WsServer endpoint_;
  Sessions sessions_;
  EventInbox inbox_;
  std::vector<Event> draining_;
  std::unique_ptr<boost::asio::steady_timer> retry_timer_;
  std::unique_ptr<boost::asio::steady_timer> flush_timer_;
  std::unique_ptr<boost::asio::steady_timer> stop_timer_;
  bool retry_armed_ = false;
  bool stopping_ = false;
  std::unordered_set<const void*> handshaking_;  // validated, not yet open or failed
  std::atomic<std::size_t> client_count_{0};
  std::atomic<std::uint64_t> refused_{0};
  std::uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace tickd::ws
