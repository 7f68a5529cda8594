// Writes closed candles into Redis: per series a list `{prefix}candles:{SYMBOL}:{interval}`
// of candle JSON ordered by open time and capped at max_length (a candle with
// a time already in the list replaces that entry), and a PUBLISH of the JSON on
// the channel of the same name. One Lua script does both atomically per candle,
// and a batch goes out as one pipeline.
#pragma once

#include "redis/redis_connection.hpp"
#include "storage_common/writer_thread.hpp"

#include <tickd/host.hpp>

#include <memory>
#include <string>
#include <vector>

namespace tickd::redis_store {

// "{prefix}candles:{SYMBOL}:{interval}": both the list key and the channel.
std::string series_key(const std::string& prefix, std::string_view symbol, Interval interval);

class RedisSink : public storage::BatchSink {
 public:
  RedisSink(const Host& host, RedisEndpoint endpoint, std::string key_prefix, std::size_t max_length);

  // Connects now if not connected (throws RedisIoError / RedisReplyError).
  void connect();
  void write(const std::vector<storage::Record>& batch) override;

 private:
  const Host& host_;
  RedisEndpoint endpoint_;
  std::string key_prefix_;
  std::string max_length_;
  std::unique_ptr<RedisConnection> connection_;
  std::string script_sha_;
  std::size_t refused_ = 0;
};

}  // namespace tickd::redis_store
