// The `redis` observer: keeps the newest closed candles of each series in a
// Redis list and publishes each one, so other processes and machines can read
// and follow the stream; restores history from those lists.
//
// config:
//   host: 127.0.0.1, port: 6379, db: 0
//   username: ""            # Redis 6 ACL user; empty = default user
//   password: ""            # use ${ENV_NAME}; never logged
//   key_prefix: ""          # prepended to keys AND channels: "{prefix}candles:{SYMBOL}:{interval}"
//   max_length: 1000        # candles kept per list
//   batch_size: 500, max_delay_ms: 50
//   max_buffer: 100000      # candles queued while Redis is away; when full the OLDEST is dropped (counted,
//   logged) connect_timeout_ms: 2000, io_timeout_ms: 2000 retry_initial_ms: 100, retry_max_ms: 5000,
//   stop_timeout_ms: 5000
//
// A server that is down at start is retried in the background (a warning is
// logged); a refused password is an error at start. Publishes are at least
// once: a batch resent after a reconnect may publish a candle twice, while the
// list still holds it once.
#pragma once

#include "redis/redis_connection.hpp"
#include "redis/redis_sink.hpp"
#include "storage_common/writer_thread.hpp"

#include <tickd/plugin.hpp>

#include <memory>
#include <string>

namespace tickd::redis_store {

class RedisStorage : public Observer, public Storage {
 public:
  ~RedisStorage() override;

  void start(Host& host) override;
  void on_candle(const Candle& candle) override;
  void stop() override;
  void metrics(Metrics& m) const override {
    if (writer_) writer_->report(m);
  }
  std::vector<Candle> restore(std::string_view symbol, Interval interval, std::uint32_t limit) override;

  const storage::WriterThread* writer() const { return writer_.get(); }

 private:
  Host* host_ = nullptr;
  RedisEndpoint endpoint_;
  std::string key_prefix_;
  std::unique_ptr<RedisSink> sink_;
  std::unique_ptr<storage::WriterThread> writer_;
};

}  // namespace tickd::redis_store
