#include "redis/redis_storage.hpp"

#include "storage_common/candle_json.hpp"
#include "storage_common/config_reader.hpp"

#include <limits>

namespace tickd::redis_store {

using std::chrono::milliseconds;

RedisStorage::~RedisStorage() {
  if (writer_) writer_->stop();
}

void RedisStorage::start(Host& host) {
  host_ = &host;
  storage::ConfigReader config(host.config(), "redis");
  endpoint_.host = config.string("host", "127.0.0.1");
  endpoint_.port = static_cast<int>(config.integer("port", 6379, 1, 65535));
  endpoint_.db = static_cast<int>(config.integer("db", 0, 0, 1 << 20));
  endpoint_.username = config.string("username", "");
  endpoint_.password = config.string("password", "");
  endpoint_.connect_timeout = milliseconds(config.integer("connect_timeout_ms", 2000, 1, 600000));
  endpoint_.io_timeout = milliseconds(config.integer("io_timeout_ms", 2000, 1, 600000));
  key_prefix_ = config.string("key_prefix", "");
  const auto max_length = static_cast<std::size_t>(config.integer("max_length", 1000, 1, 10000000));
  storage::WriterOptions defaults;
  defaults.max_delay = milliseconds(50);
  auto options = storage::read_writer_options(config, defaults);
  options.overflow = storage::overflow_for(host, options.overflow);
  config.finish();
  if (endpoint_.host.empty()) throw std::runtime_error("redis config: 'host' must not be empty");

  sink_ = std::make_unique<RedisSink>(host, endpoint_, key_prefix_, max_length);
  try {
    sink_->connect();
    host.info("connected to redis " + endpoint_.describe());
  } catch (const RedisIoError& e) {
    // Redis may simply start after tickd: buffer and keep trying.
    host.warn(std::string(e.what()) + "; candles are buffered and the connection retried in the background");
  }
  // RedisReplyError (refused password, bad db) propagates: a config error.
  writer_ = std::make_unique<storage::WriterThread>(host, *sink_, options);
  writer_->start();
}

void RedisStorage::on_candle(const Candle& candle) {
  if (candle.closed) writer_->push(candle);
}

void RedisStorage::stop() {
  if (!writer_) return;
  const std::size_t lost = writer_->stop();
  if (lost > 0)
    throw std::runtime_error(std::to_string(lost) + " candles could not be written to redis " +
                             endpoint_.describe());
}

std::vector<Candle> RedisStorage::restore(std::string_view symbol, Interval interval, std::uint32_t limit) {
  std::vector<Candle> out;
  if (limit == 0) return out;  // LRANGE -0 -1 would mean the whole list
  // Its own short-lived connection: the writer's belongs to the writer thread.
  RedisConnection connection(endpoint_);
  const std::string key = series_key(key_prefix_, symbol, interval);
  const std::int64_t count = std::min<std::int64_t>(limit, std::numeric_limits<std::int32_t>::max());
  Reply reply = connection.command({"LRANGE", key, std::to_string(-count), "-1"});
  if (reply->type != REDIS_REPLY_ARRAY) throw std::runtime_error("redis LRANGE " + key + ": not a list");
  std::size_t malformed = 0;
  for (std::size_t i = 0; i < reply->elements; ++i) {
    const redisReply* e = reply->element[i];
    auto candle = e->type == REDIS_REPLY_STRING ? storage::candle_from_json(std::string_view(e->str, e->len))
                                                : std::nullopt;
    if (!candle || !candle->closed || candle->interval != interval) {
      ++malformed;
      continue;
    }
    candle->symbol = symbol;
    out.push_back(*candle);
  }
  if (malformed > 0)
    host_->warn("redis " + key + ": skipped " + std::to_string(malformed) +
                " entries that are not tickd candles");
  return out;
}

}  // namespace tickd::redis_store
