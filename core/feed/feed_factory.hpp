// FeedConfig -> the feed of that kind.
#pragma once

#include "config/config.hpp"
#include "feed/feed.hpp"
#include "model/symbol_table.hpp"

#include <boost/asio/io_context.hpp>

#include <memory>
#include <vector>

namespace tickd::core {

// `intervals` and `session`: the aggregator's, for feeds that load the
// exchange's candles (Binance, Kite, SmartAPI) and roll them up.
std::unique_ptr<Feed> make_feed(const FeedConfig& config, boost::asio::io_context& io, SymbolTable& symbols,
                                const std::vector<Interval>& intervals = {}, std::uint32_t history = 1000,
                                const SessionConfig& session = {});

}  // namespace tickd::core
