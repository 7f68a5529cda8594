// A small HTTP/1.1 server on 127.0.0.1 for tests of HTTP clients (webhook
// receivers, the Telegram Bot API): one thread per connection, keep-alive,
// Content-Length bodies, a handler per request that may be slow on purpose.
// stop() closes the port (an outage) and start() listens on it again.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tickd::test {

struct HttpRequestSeen {
  std::string method;
  std::string target;                          // path and query
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
};

struct HttpReply {
  int status = 200;
  std::string body = "ok";
  std::string content_type = "text/plain";
  std::vector<std::string> headers;  // "Name: value"
};

class HttpReceiver {
 public:
  using Handler = std::function<HttpReply(const HttpRequestSeen&)>;

  // Listens on a free loopback port at once; throws when it cannot.
  explicit HttpReceiver(Handler handler);
  ~HttpReceiver();
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path = "/") const;

  // Closes the listening socket and every connection (clients see refused
  // connections), waiting for handlers in progress.
  void stop();
  // Listens again on the same port.
  void start();

  // Every request handled so far, in order.
  std::vector<HttpRequestSeen> requests() const;
  // Waits until at least `n` requests were handled; returns them.
  std::vector<HttpRequestSeen> wait_for(std::size_t n, int timeout_ms = 15000) const;

 private:
  void listen_on(int port);
  void accept_loop();
  void serve(int fd);

  Handler handler_;
  int port_ = 0;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  std::atomic<bool> running_{false};
  std::thread acceptor_;
  mutable std::mutex mu_;
  mutable std::condition_variable seen_;
  std::vector<std::thread> connections_;
  std::vector<int> open_fds_;
  std::vector<HttpRequestSeen> requests_;
};

}  // namespace tickd::test
