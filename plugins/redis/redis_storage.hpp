// The `redis` observer: keeps the newest closed candles of each series in a
// Redis list and publishes each one, so other processes and machines can read
// and follow the stream; restores history from those lists.
//
// Its config keys are declared in config_schema() (`tickd --describe-plugin
// redis`). Candles queue while Redis is away (max_buffer); when full the
// OLDEST is dropped (counted and logged).
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

  static ConfigSchema config_schema();

  void start(Host& host) override;
  void on_candle(const Candle& candle) override;
  void stop() override;
  void metrics(Metrics& m) const override {
    if (writer_) writer_->report(m);
  }
  std::vector<Candle> restore(std::string_view symbol, Interval interval, std::uint32_t limit) override;

  const storage::WriterThread* writer() const { return writer_.get(); }

 private:
  static storage::WriterOptions writer_defaults();

  Host* host_ = nullptr;
  RedisEndpoint endpoint_;
  std::string key_prefix_;
  std::unique_ptr<RedisSink> sink_;
  std::unique_ptr<storage::WriterThread> writer_;
};

}  // namespace tickd::redis_store
