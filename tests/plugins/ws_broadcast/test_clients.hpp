// Clients for driving ws_broadcast in tests: a blocking HTTP/1.1 GET, a real
// WebSocket client (websocketpp, own io thread) and a raw WebSocket socket that
// handshakes and then reads only when told to (the slow client).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tickd::ws::testing {

using namespace std::chrono_literals;

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// GET (or `method`) http://127.0.0.1:<port><target>; throws on socket errors.
HttpResult http_get(std::uint16_t port, const std::string& target,
                    const std::map<std::string, std::string>& headers = {},
                    const std::string& method = "GET");

// The server registers a WebSocket session just after the handshake reply, so a
// client can see "open" a moment before the server counts it: wait for /health
// to show `n` clients before publishing to streams that send no ack.
bool wait_for_clients(std::uint16_t port, std::size_t n, std::chrono::milliseconds timeout = 5s);

class WsClient {
 public:
  WsClient();
  ~WsClient();
  // True once open; false when the handshake was refused (see refused_status()).
  bool connect(std::uint16_t port, const std::string& target,
               const std::map<std::string, std::string>& headers = {});
  // False once the connection is closing (the server may close it mid-burst).
  bool send(const std::string& text);
  // The next message satisfying `pred` (others are dropped); nullopt on timeout.
  std::optional<std::string> wait_for(const std::function<bool(const std::string&)>& pred,
                                      std::chrono::milliseconds timeout = 5s);
  std::optional<std::string> next(std::chrono::milliseconds timeout = 5s) {
    return wait_for([](const std::string&) { return true; }, timeout);
  }
  // Close code sent by the server, once closed; nullopt on timeout.
  std::optional<int> wait_closed(std::chrono::milliseconds timeout = 5s);
  int refused_status() const { return refused_status_; }
  std::size_t received() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int refused_status_ = 0;
};

// A WebSocket client on a plain socket with a tiny receive buffer that reads
// nothing until told to - the client that cannot keep up, and the one that
// checks the server's byte stream frame by frame.
class StalledClient {
 public:
  struct Frame {
    int opcode;
    std::string payload;
  };
  StalledClient(std::uint16_t port, const std::string& target);
  ~StalledClient();
  void send_text(const std::string& text);
  void send_frame(int opcode, const std::string& payload);  // masked, as a client must
  // The next whole frame; nullopt on timeout or when the server went away.
  std::optional<Frame> read_frame(std::chrono::milliseconds timeout);
  // Reads and drops frames until a close frame; returns its code (or -1).
  int read_until_close(std::chrono::milliseconds timeout);

 private:
  std::optional<Frame> parse_frame();
  int fd_ = -1;
  std::string buffered_;
};

}  // namespace tickd::ws::testing
