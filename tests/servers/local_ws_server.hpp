// A WebSocket + HTTP server on 127.0.0.1 (random port, optional TLS) that plays
// a broker for tests: each WebSocket connection runs a script on a thread of
// its own (send frames, pause, drop), and plain HTTP GETs (REST endpoints) are
// answered by a handler. websocketpp stays in the .cpp.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tickd::test_servers {

struct HttpAnswer {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
};

// A whole HTTP request, for REST endpoints that need more than the resource
// (SmartAPI's POST with a JSON body, credentials in headers).
struct HttpCall {
  std::string method;
  std::string resource;
  std::map<std::string, std::string> headers;  // the ones tests look at (see local_ws_server.cpp)
  std::string body;
};

// The server side of one WebSocket connection, as a script sees it.
class Peer {
 public:
  virtual ~Peer() = default;
  virtual void send_text(std::string text) = 0;
  virtual void send_binary(std::string bytes) = 0;
  virtual void drop() = 0;  // close the TCP connection without a close handshake
  virtual bool alive() const = 0;
  virtual int index() const = 0;  // 0 for the first connection, 1 for the next, ...
  virtual std::string header(const std::string& name) const = 0;  // of the upgrade request
  virtual std::string resource() const = 0;                       // path + query of the upgrade request
  // Sleeps up to `d`, returning early (false) when the connection or server ends.
  virtual bool pause(std::chrono::milliseconds d) = 0;
  // Waits for the next text message from the client (subscribe, mode, ping).
  virtual bool wait_message(std::string& out, std::chrono::milliseconds timeout) = 0;
};

class LocalWsServer {
 public:
  struct Tls {
    std::string cert_file;  // PEM
    std::string key_file;
  };
  using Script = std::function<void(Peer&)>;
  using Http = std::function<HttpAnswer(const std::string& resource)>;

  // Starts listening at once; throws if it cannot.
  LocalWsServer(Script script, Http http = {}, const Tls* tls = nullptr);
  ~LocalWsServer();
  LocalWsServer(const LocalWsServer&) = delete;
  LocalWsServer& operator=(const LocalWsServer&) = delete;

  // Both must be set before a client connects. `http_call` answers instead of
  // the constructor's handler; `upgrade` returns 0 to accept a WebSocket
  // upgrade or the HTTP status to refuse it with (401, 403).
  void on_http_call(std::function<HttpAnswer(const HttpCall&)> http_call);
  void on_upgrade(std::function<int(const HttpCall&)> upgrade);

  int port() const;
  int connections() const;                         // WebSocket connections accepted so far
  std::vector<std::string> received() const;       // text messages from clients, in order
  std::vector<std::string> http_requests() const;  // resources asked over HTTP, in order

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// A self-signed certificate for 127.0.0.1 made with the openssl CLI in `dir`
// (cert.pem, key.pem); the cert is also the CA file a client trusts. Throws
// with openssl's output when it fails.
LocalWsServer::Tls make_self_signed_cert(const std::string& dir);

}  // namespace tickd::test_servers
