// A synchronous hiredis connection with timeouts, split into the two kinds of
// failure the plugin treats differently: the server is unreachable or went
// away (RedisIoError: reconnect and retry later) and the server refused a
// command (RedisReplyError: wrong password, wrong type... retrying won't help).
#pragma once

#include <hiredis/hiredis.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace tickd::redis_store {

struct RedisIoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct RedisReplyError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string username;  // empty: the default user
  std::string password;  // never logged
  int db = 0;
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds io_timeout{2000};

  std::string describe() const { return host + ":" + std::to_string(port) + "/" + std::to_string(db); }
};

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

class RedisConnection {
 public:
  // Connects, authenticates and selects the database. Throws RedisIoError or RedisReplyError.
  explicit RedisConnection(const RedisEndpoint& endpoint);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // One command; an error reply throws RedisReplyError.
  Reply command(const std::vector<std::string>& args);
  // Pipelining: append many, then read as many replies. Error replies are returned, not thrown.
  void append(const std::vector<std::string>& args);
  Reply read_reply();

 private:
  [[noreturn]] void io_failure(const std::string& what);

  redisContext* ctx_ = nullptr;
  std::string where_;
};

}  // namespace tickd::redis_store
