// The keys every broker block shares: url, TLS, liveness, reconnect, size limit.
#include "config/broker_connection_section.hpp"

#include "feed/indian_broker/shard_plan.hpp"

namespace tickd::core {

const std::vector<std::string_view>& broker_connection_keys() {
  static const std::vector<std::string_view> keys{"url",         "ca_file",   "verify",
                                                  "stale_after", "reconnect", "max_message_bytes"};
  return keys;
}

void read_broker_connection(ErrorCollector& errors, const MapReader& map, const std::string& base_dir,
                            BrokerConnectionConfig& out) {
  if (auto f = map.get("url")) {
    if (auto url = read_string(errors, *f)) {
      if (url->rfind("ws://", 0) == 0 || url->rfind("wss://", 0) == 0)
        out.url = *url;
      else
        errors.add(f->mark, "'" + f->path + "' must start with ws:// or wss://");
    }
  }
  if (auto f = map.get("ca_file")) {
    if (auto path = read_string(errors, *f)) out.ca_file = path->empty() ? "" : resolve_path(base_dir, *path);
  }
  if (auto f = map.get("verify")) out.verify = read_bool(errors, *f).value_or(out.verify);
  if (auto f = map.get("stale_after"))
    out.stale_after_ms = read_duration_ms(errors, *f).value_or(out.stale_after_ms);
  if (auto f = map.get("reconnect")) {
    const MapReader reconnect(errors, *f, {"initial", "max"});
    if (auto g = reconnect.get("initial"))
      out.reconnect_initial_ms = read_duration_ms(errors, *g).value_or(out.reconnect_initial_ms);
    if (auto g = reconnect.get("max"))
      out.reconnect_max_ms = read_duration_ms(errors, *g).value_or(out.reconnect_max_ms);
    if (out.reconnect_initial_ms <= 0) {
      errors.add(f->mark, "'" + child_path(f->path, "initial") + "' must be more than 0");
      out.reconnect_initial_ms = 1;
    }
    if (out.reconnect_max_ms < out.reconnect_initial_ms)
      errors.add(f->mark, "'" + child_path(f->path, "max") + "' must not be less than 'initial'");
  }
  if (auto f = map.get("max_message_bytes")) {
    // 1 KiB .. 64 MiB: below that no real frame fits, above it a hostile
    // server could make the daemon allocate without bound.
    if (auto n = read_integer(errors, *f, 1024, 64LL << 20))
      out.max_message_bytes = static_cast<std::uint64_t>(*n);
  }
}

const std::vector<std::string_view>& broker_history_keys() {
  static const std::vector<std::string_view> keys{"rest_url", "bootstrap_candles", "backfill"};
  return keys;
}

void read_broker_history(ErrorCollector& errors, const MapReader& map, BrokerHistoryConfig& out) {
  if (auto f = map.get("rest_url")) {
    if (auto url = read_string(errors, *f)) {
      if (url->rfind("http://", 0) == 0 || url->rfind("https://", 0) == 0)
        out.rest_url = url->back() == '/' ? url->substr(0, url->size() - 1) : *url;
      else
        errors.add(f->mark, "'" + f->path + "' must start with http:// or https://");
    }
  }
  // The loader walks back at most a few windows per series: more than this
  // many candles would not come anyway.
  if (auto f = map.get("bootstrap_candles"))
    if (auto n = read_integer(errors, *f, 0, 100000)) out.bootstrap_candles = static_cast<std::uint32_t>(*n);
  if (auto f = map.get("backfill")) out.backfill = read_bool(errors, *f).value_or(out.backfill);
}

const std::vector<std::string_view>& broker_sharding_keys() {
  static const std::vector<std::string_view> keys{"instruments_per_connection", "max_connections"};
  return keys;
}

std::vector<std::string_view> indian_broker_keys(std::initializer_list<std::string_view> own) {
  std::vector<std::string_view> keys = broker_connection_keys();
  for (const auto* shared : {&broker_history_keys(), &broker_sharding_keys()})
    keys.insert(keys.end(), shared->begin(), shared->end());
  keys.insert(keys.end(), own);
  return keys;
}

void read_broker_sharding(ErrorCollector& errors, const MapReader& map, BrokerShardingConfig& out) {
  if (auto f = map.get("instruments_per_connection"))
    if (auto n = read_integer(errors, *f, 1, 100000))
      out.instruments_per_connection = static_cast<std::uint32_t>(*n);
  if (auto f = map.get("max_connections"))
    if (auto n = read_integer(errors, *f, 1, 100)) out.max_connections = static_cast<std::uint32_t>(*n);
}

void check_broker_capacity(ErrorCollector& errors, const MapReader& map, const Field& block,
                           std::size_t instruments, const BrokerShardingConfig& sharding) {
  const std::size_t needed = connections_needed(instruments, sharding.instruments_per_connection);
  if (needed <= sharding.max_connections) return;
  auto at = map.get("max_connections");
  if (!at) at = map.get("instruments_per_connection");
  const SourceMark mark = at ? at->mark : block.mark;
  errors.add(mark, "'" + child_path(block.path, "max_connections") + "': " + std::to_string(instruments) +
                       " instruments need " + std::to_string(needed) + " connections of " +
                       std::to_string(sharding.instruments_per_connection) + " ('" +
                       child_path(block.path, "instruments_per_connection") + "'), more than the " +
                       std::to_string(sharding.max_connections) +
                       " allowed; subscribe fewer instruments or raise the limits if the broker allows more");
}

}  // namespace tickd::core
