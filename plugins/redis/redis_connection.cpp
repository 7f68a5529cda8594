#include "redis/redis_connection.hpp"

#include <sys/time.h>

namespace tickd::redis_store {

namespace {
timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}
}  // namespace

RedisConnection::RedisConnection(const RedisEndpoint& e) : where_("redis " + e.describe()) {
  ctx_ = redisConnectWithTimeout(e.host.c_str(), e.port, to_timeval(e.connect_timeout));
  if (!ctx_) throw RedisIoError(where_ + ": cannot allocate a connection");
  // A constructor that throws runs no destructor: every failure below frees the
  // context in the handlers, even a failed connect (hiredis allocates it anyway).
  try {
    if (ctx_->err) io_failure("cannot connect");
    if (redisSetTimeout(ctx_, to_timeval(e.io_timeout)) != REDIS_OK) io_failure("cannot set timeout");
    if (!e.password.empty()) {
      if (e.username.empty())
        command({"AUTH", e.password});
      else
        command({"AUTH", e.username, e.password});
    }
    if (e.db != 0) command({"SELECT", std::to_string(e.db)});
    // Without a password on a server that wants one, this is where NOAUTH shows.
    command({"PING"});
  } catch (const RedisReplyError& err) {
    redisFree(ctx_);
    ctx_ = nullptr;
    throw RedisReplyError(where_ + ": " + err.what() +
                          (e.password.empty() ? " (no password configured)" : " (check username/password)"));
  } catch (...) {
    redisFree(ctx_);
    ctx_ = nullptr;
    throw;
  }
}

RedisConnection::~RedisConnection() {
  if (ctx_) redisFree(ctx_);
}

void RedisConnection::io_failure(const std::string& what) {
  std::string why = ctx_ && ctx_->errstr[0] ? ctx_->errstr : "connection lost";
  throw RedisIoError(where_ + ": " + what + ": " + why);
}

void RedisConnection::append(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const auto& a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  if (redisAppendCommandArgv(ctx_, static_cast<int>(args.size()), argv.data(), lengths.data()) != REDIS_OK)
    io_failure("cannot queue command");
}

Reply RedisConnection::read_reply() {
  void* raw = nullptr;
  if (redisGetReply(ctx_, &raw) != REDIS_OK || !raw) io_failure("no reply");
  return Reply(static_cast<redisReply*>(raw));
}

Reply RedisConnection::command(const std::vector<std::string>& args) {
  append(args);
  Reply reply = read_reply();
  if (reply->type == REDIS_REPLY_ERROR)
    throw RedisReplyError(args[0] + " refused: " + std::string(reply->str, reply->len));
  return reply;
}

}  // namespace tickd::redis_store
