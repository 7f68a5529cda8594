#include "redis/redis_storage.hpp"

#include "storage_common/candle_json.hpp"
#include "storage_common/writer_options.hpp"

#include <limits>

namespace tickd::redis_store {

using std::chrono::milliseconds;

RedisStorage::~RedisStorage() {
  if (writer_) writer_->stop();
}

storage::WriterOptions RedisStorage::writer_defaults() {
  storage::WriterOptions defaults;
  defaults.max_delay = milliseconds(50);
  return defaults;
}

ConfigSchema RedisStorage::config_schema() {
  namespace s = tickd::schema;
  ConfigSchema schema{
      s::string("host", "Server host name or address").default_value("127.0.0.1").non_empty(),
      s::integer("port", "Server port").default_value(6379).range(1, 65535),
      s::integer("db", "Database number").default_value(0).range(0, 1 << 20),
      s::string("username", "Redis 6 ACL user; empty: the default user").default_value(""),
      s::string("password", "Password; use ${ENV_NAME} (never logged)").default_value(""),
      s::duration("connect_timeout", "How long a connection attempt may take")
          .default_value("2s")
          .range("1ms", "10m"),
      s::duration("io_timeout", "How long one command may take").default_value("2s").range("1ms", "10m"),
      s::string("key_prefix", "Prepended to keys and channels: {prefix}candles:{SYMBOL}:{interval}")
          .default_value(""),
      s::integer("max_length", "Candles kept per list").default_value(1000).range(1, 10000000),
  };
  for (auto& key : storage::writer_option_keys(writer_defaults())) schema.add(key);
  return schema;
}

void RedisStorage::start(Host& host) {
  host_ = &host;
  const ConfigView config = host.config_view(config_schema());
  endpoint_.host = config.string("host");
  endpoint_.port = static_cast<int>(config.integer("port"));
  endpoint_.db = static_cast<int>(config.integer("db"));
  endpoint_.username = config.string("username");
  endpoint_.password = config.string("password");
  endpoint_.connect_timeout = config.duration("connect_timeout");
  endpoint_.io_timeout = config.duration("io_timeout");
  key_prefix_ = config.string("key_prefix");
  const auto max_length = static_cast<std::size_t>(config.integer("max_length"));
  auto options = storage::read_writer_options(config, writer_defaults());
  options.lossless = storage::lossless_for(host, options.lossless);

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
