#include "redis/redis_sink.hpp"

#include "storage_common/candle_json.hpp"

#include <utility>
#include <variant>

namespace tickd::redis_store {

namespace {

// KEYS[1] list and channel; ARGV: candle JSON, open time (ms), max length.
// The list is kept ordered by open_time: the common case appends or replaces
// the tail; an older candle (a replay, an amendment) is placed by binary search.
const char* const kUpsertScript = R"lua(
local key, json, t, maxlen = KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local function time_at(i)
  local e = redis.call('LINDEX', key, i)
  return cjson.decode(e).open_time, e
end
local n = redis.call('LLEN', key)
local last = n > 0 and time_at(-1) or nil
if last == nil or t > last then
  redis.call('RPUSH', key, json)
elseif t == last then
  redis.call('LSET', key, -1, json)
else
  local lo, hi = 0, n - 1
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if time_at(mid) < t then lo = mid + 1 else hi = mid end
  end
  local found, entry = time_at(lo)
  if found == t then redis.call('LSET', key, lo, json) else redis.call('LINSERT', key, 'BEFORE', entry, json) end
end
if redis.call('LLEN', key) > maxlen then redis.call('LTRIM', key, -maxlen, -1) end
redis.call('PUBLISH', key, json)
return 1
)lua";

}  // namespace

std::string series_key(const std::string& prefix, std::string_view symbol, Interval interval) {
  std::string key = prefix;
  key += "candles:";
  key += symbol;
  key += ':';
  key += interval.name();
  return key;
}

RedisSink::RedisSink(const Host& host, RedisEndpoint endpoint, std::string key_prefix, std::size_t max_length)
    : host_(host),
      endpoint_(std::move(endpoint)),
      key_prefix_(std::move(key_prefix)),
      max_length_(std::to_string(max_length)) {}

void RedisSink::connect() {
  if (connection_) return;
  auto connection = std::make_unique<RedisConnection>(endpoint_);
  // A restarted server has lost its script cache: load on every connect.
  Reply sha = connection->command({"SCRIPT", "LOAD", kUpsertScript});
  script_sha_.assign(sha->str, sha->len);
  connection_ = std::move(connection);
}

void RedisSink::write(const std::vector<storage::Record>& batch) {
  try {
    connect();
    std::size_t sent = 0;
    for (const auto& record : batch) {
      const auto* candle = std::get_if<Candle>(&record);
      if (!candle) continue;
      connection_->append({"EVALSHA", script_sha_, "1",
                           series_key(key_prefix_, candle->symbol, candle->interval),
                           storage::candle_to_json(*candle), std::to_string(candle->open_time), max_length_});
      ++sent;
    }
    for (std::size_t i = 0; i < sent; ++i) {
      Reply reply = connection_->read_reply();
      if (reply->type != REDIS_REPLY_ERROR) continue;
      const std::string error(reply->str, reply->len);
      // NOSCRIPT: the server restarted between connect and now; resend all.
      if (error.rfind("NOSCRIPT", 0) == 0) throw RedisIoError("redis " + endpoint_.describe() + ": " + error);
      // Anything else (e.g. WRONGTYPE: the key holds something else) repeats
      // on every retry, so that candle is skipped and counted, not retried.
      if (refused_++ < 10 || refused_ % 1000 == 0)
        host_.error("redis refused a candle write (" + std::to_string(refused_) + " so far): " + error);
    }
  } catch (const RedisIoError&) {
    connection_.reset();
    throw;
  }
}

}  // namespace tickd::redis_store
