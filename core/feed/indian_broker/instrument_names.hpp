// Instruments by name for the Indian brokers: the names of feed.symbols that
// are not already given as tokens (kite.instruments, smartapi.tokens) are
// looked up in the broker's instrument master (downloaded and cached, see
// master_cache.hpp, or Kite's instruments_csv) and added as tokens, so the
// feeds only ever see tokens. Run after loading the config and before the
// feed starts (tickd --check-config does it too).
#pragma once

#include "config/config.hpp"
#include "feed/indian_broker/master_cache.hpp"

#include <string>
#include <vector>

namespace tickd::core {

// Fills feed.kite.instruments or feed.smartapi.tokens and feed.resolved_from.
// Returns the errors, each "file:line:column: ..." at the name's position: a
// name not in the master (with the closest names), an expired contract, or a
// master that could neither be downloaded nor read from the cache.
std::vector<std::string> resolve_instrument_names(FeedConfig& feed, TimeMs now);

// Where the master of a kite or smartapi feed comes from (URL, credentials,
// cache file, limits).
MasterSource instrument_master_source(const FeedConfig& feed);

// The names of feed.symbols that need the master (not given as tokens).
std::vector<std::size_t> names_to_resolve(const FeedConfig& feed);

}  // namespace tickd::core
