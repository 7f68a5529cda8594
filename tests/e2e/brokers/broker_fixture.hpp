// Helpers for running the daemon against a local broker server: config text,
// the closed candles it wrote (logger plugin, JSON lines) and its /metrics.
#pragma once

#include "e2e/daemon_fixture.hpp"
#include "local_ws_server.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace tickd::e2e {

inline const std::string kXrpDir = TICKD_DATA_DIR "/binance-xrpeth-2019-10/";

// daemon + aggregator + a logger writing closed candles as JSON to `candles`.
std::string daemon_config(const std::string& feed_yaml, const std::string& candles, int admin_port,
                          const std::string& intervals = "[1m, 5m]");

// interval -> open_time -> every closed candle emitted for it (to see doubles).
std::map<std::string, std::map<long long, std::vector<nlohmann::json>>> read_closed(const std::string& path);

// GET http://127.0.0.1:<port>/metrics; empty when unreachable.
std::string metrics(int port);
// The value of a metric line `name{...} value` or `name value`; -1 when absent.
double metric(const std::string& text, const std::string& name);

// Waits until the candles file holds a closed `interval` candle at `open_time`.
bool wait_for_candle(ChildProcess& tickd, const std::string& path, const std::string& interval,
                     long long open_time, std::chrono::milliseconds timeout);

}  // namespace tickd::e2e
