// One io thread of the server: its own websocketpp endpoint accepting from the
// server's one listening socket (whichever shard is free takes the next
// connection), its clients and their outboxes, and the hand-off of events from
// the observer's worker. Shards share nothing mutable: a client lives and dies on
// one thread, and the per-client send path (the cost that grows with clients)
// runs on as many cores as there are shards.
#pragma once

#include "config.hpp"
#include "event.hpp"
#include "sessions.hpp"
#include "wspp.hpp"

#include <tickd/host.hpp>
#include <tickd/log_throttle.hpp>

#include <chrono>
#include <memory>
#include <thread>
#include <unordered_set>
#include <vector>

namespace tickd::ws {

class IoShard {
 public:
  IoShard(const Host& host, const Config& config, const SeriesTable& table);
  ~IoShard();
  IoShard(const IoShard&) = delete;
  IoShard& operator=(const IoShard&) = delete;

  // Accepts connections from `listen_fd` (a listening socket; the shard uses
  // a duplicate of its own, so the caller keeps `listen_fd`). Before start().
  // Throws std::runtime_error when it cannot.
  void accept_from(int listen_fd);
  void start();  // the io thread
  // Closes every client (1001), gives them a moment, joins the thread. Idempotent.
  void stop();

  // Worker thread: queues an event (its frames already serialized) for fan-out.
  void push(Event&& event);
  bool has_clients(Stream s) const { return sessions_.has_clients(s); }
  // Runs on the io thread and waits for it.
  SessionStats stats();

  // ---- io thread (handlers the server installs) ----
  WsServer& endpoint() { return endpoint_; }
  Sessions& sessions() { return sessions_; }
  bool stopping() const { return stopping_; }
  std::unordered_set<const void*>& handshaking() { return handshaking_; }
  // An error line, at most one per second (with the count held back), so that
  // hostile requests cannot flood the log.
  void log_error(const std::string& message) { log_limited(true, message); }
  void log_warn(const std::string& message) { log_limited(false, message); }

 private:
  void accept_next();
  void drain();
  void arm_retry();
  void run_io();
  void log_limited(bool error, const std::string& message);
  void wait_for_clients(std::chrono::steady_clock::time_point deadline);

  const Host& host_;
  const Config& config_;
  WsServer endpoint_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  Sessions sessions_;
  EventInbox inbox_;
  std::vector<Event> draining_;
  std::unique_ptr<boost::asio::steady_timer> retry_timer_;
  std::unique_ptr<boost::asio::steady_timer> flush_timer_;
  std::unique_ptr<boost::asio::steady_timer> stop_timer_;
  std::unique_ptr<boost::asio::steady_timer> accept_timer_;
  bool retry_armed_ = false;
  bool stopping_ = false;
  std::unordered_set<const void*> handshaking_;        // validated, not yet open or failed
  LogThrottle error_log_{1, std::chrono::seconds(1)};  // one io-thread error line a second
  std::thread thread_;
};

}  // namespace tickd::ws
