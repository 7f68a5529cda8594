// A WebSocket client connection that stays up: connects (ws:// or wss://),
// reconnects with backoff after any loss, and calls back on the io thread.
// websocketpp stays inside ws_connection.cpp.
//
// Threading: construct, start, stop, send and destroy on the io_context's
// thread; every callback runs there too. Counters may be read from any thread.
#pragma once

#include "model/market_data.hpp"

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tickd::core {

struct WsConnectionOptions {
  std::string name;  // for log lines, e.g. "binance"
  std::string url;   // may hold credentials in its query: never logged as is
  std::vector<std::pair<std::string, std::string>> headers;
  std::string ca_file;  // PEM; empty = system CA store
  bool verify = true;
  std::size_t max_message_bytes = 1u << 20;
  std::int64_t stale_after_ms = 30000;  // 0 = never
  std::int64_t reconnect_initial_ms = 500;
  std::int64_t reconnect_max_ms = 30000;
  std::int64_t open_timeout_ms = 10000;  // TCP + TLS + upgrade
  std::string heartbeat_text;            // sent every heartbeat_ms while open (SmartAPI "ping")
  std::int64_t heartbeat_ms = 0;
};

// auth_failed: the server refused the credentials (HTTP 401/403 on the
// upgrade); retried only every reconnect_max_ms, quietly, until they change.
enum class ConnectionState { idle, connecting, open, backoff, auth_failed, stopped };
const char* to_string(ConnectionState state);

class WsConnection {
 public:
  struct Handlers {
    std::function<void()> on_open;  // every (re)connect: (re)subscribe here
    std::function<void(std::string_view payload, bool binary)> on_message;
    std::function<void()> on_lost;  // an open connection went away (before the backoff)
  };

  WsConnection(boost::asio::io_context& io, WsConnectionOptions options, Handlers handlers);
  ~WsConnection();
  WsConnection(const WsConnection&) = delete;
  WsConnection& operator=(const WsConnection&) = delete;

  void start();
  // Closes cleanly (close frame, code 1001); no reconnect afterwards.
  void stop();
  // False when not open or the send failed.
  bool send_text(std::string_view text);
  // Drops the current connection and reconnects after the backoff (as after a loss).
  void restart(std::string_view why);
  // New credentials (renewed token): the next connection uses this URL and
  // these headers; the current one is dropped and replaced at once.
  void set_target(std::string url, std::vector<std::pair<std::string, std::string>> headers);
  // Marks the credentials as refused (e.g. a REST call answered 403): the
  // connection is dropped and retried only as auth_failed says.
  void auth_failed(std::string_view why);

  ConnectionState state() const;
  std::uint64_t messages() const;
  std::uint64_t reconnects() const;
  // Connections lost to an oversized frame or closed by us as stale.
  std::uint64_t protocol_errors() const;
  TimeMs last_message_ms() const;  // wall clock, 0 = never

  struct State;  // in the .cpp, shared with in-flight handlers

 private:
  std::shared_ptr<State> st_;
};

}  // namespace tickd::core
