// The instrument master's download and its cache file. A cached copy is used
// without asking the network while it is fresh - fetched after the latest
// daily refresh time (IST; the brokers regenerate their masters early each
// morning) - and, stale, when a download fails or brings something that is not
// a master. Every download is capped (`max_bytes`, also after gunzip) and
// replaces the cache atomically (temporary file, then rename).
#pragma once

#include "config/config.hpp"
#include "feed/connection/http_fetcher.hpp"
#include "feed/indian_broker/instrument_master.hpp"

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tickd::core {

struct MasterSource {
  std::string broker;  // "kite", "smartapi": log lines
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // may hold credentials: never logged
  std::string cache_file;                                    // "" = no cache
  int refresh_minute = 8 * 60 + 30;                          // IST
  std::size_t max_bytes = 64u << 20;
  HttpOptions http;
  MasterParser parse = nullptr;
  const std::atomic<bool>* cancel = nullptr;  // set: a download in progress gives up at once
};

struct MasterLoad {
  std::shared_ptr<const InstrumentMaster> master;  // null: none (see error)
  InstrumentMasterInfo info;
  std::string error;
};

// Blocking; never on the feed thread. `force` downloads even when the cache is
// fresh (the daily refresh of a running daemon).
MasterLoad load_master(const MasterSource& source, TimeMs now, bool force = false);

// The latest daily refresh time (IST `refresh_minute`) at or before `now`.
TimeMs last_refresh_point(TimeMs now, int refresh_minute);

// `body` itself gzip (a .gz file served as is, not as a Content-Encoding that
// curl undoes): inflated into `out`, at most `max_bytes`. False with `error`
// when it is not valid gzip or is larger.
bool gunzip(const std::string& body, std::size_t max_bytes, std::string& out, std::string& error);

}  // namespace tickd::core
