// Reading the connection keys shared by every broker block. Internal to the loader.
#pragma once

#include "config/config.hpp"
#include "config/sections.hpp"
#include "config/yaml_reader.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace tickd::core {

const std::vector<std::string_view>& broker_connection_keys();

// Reads url, ca_file, verify, stale_after, reconnect {initial, max} and
// max_message_bytes from `map` into `out`, leaving defaults for absent keys.
void read_broker_connection(ErrorCollector& errors, const MapReader& map, const std::string& base_dir,
                            BrokerConnectionConfig& out);

// rest_url, bootstrap_candles, backfill: the REST history of Kite and SmartAPI.
const std::vector<std::string_view>& broker_history_keys();
void read_broker_history(ErrorCollector& errors, const MapReader& map, BrokerHistoryConfig& out);

// instruments_per_connection, max_connections: how Kite and SmartAPI shard
// their instruments over WebSocket connections (defaults already in `out`).
const std::vector<std::string_view>& broker_sharding_keys();
// The keys of an Indian broker's block (Kite, SmartAPI): connection, history
// and sharding keys, then the broker's own.
std::vector<std::string_view> indian_broker_keys(std::initializer_list<std::string_view> own);
void read_broker_sharding(ErrorCollector& errors, const MapReader& map, BrokerShardingConfig& out);
// An error (at max_connections, else instruments_per_connection, else the
// block) when `instruments` need more connections than allowed.
void check_broker_capacity(ErrorCollector& errors, const MapReader& map, const Field& block,
                           std::size_t instruments, const BrokerShardingConfig& sharding);

// The `instrument_master:` block of Kite and SmartAPI (url, cache_dir,
// refresh_at, max_bytes, timeout).
void read_instrument_master(ErrorCollector& errors, const Field& field, const std::string& base_dir,
                            InstrumentMasterConfig& out);

}  // namespace tickd::core
