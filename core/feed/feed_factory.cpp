#include "feed/feed_factory.hpp"

#include "feed/binance/binance_feed.hpp"
#include "feed/indian_broker/instrument_names.hpp"
#include "feed/kite/kite_feed.hpp"
#include "feed/nats/nats_feed.hpp"
#include "feed/replay/replay_feed.hpp"
#include "feed/simulator/simulator_feed.hpp"
#include "feed/smartapi/smartapi_feed.hpp"

#include <stdexcept>

namespace tickd::core {

namespace {

// Names resolved through a downloaded master: keep that master fresh daily.
std::unique_ptr<Feed> with_master(std::unique_ptr<BinaryBrokerFeed> feed, const FeedConfig& config) {
  const InstrumentMasterInfo& info = config.resolved_from;
  if (info.source.empty()) return feed;
  std::unique_ptr<MasterRefresher> refresher;
  if (info.source != "file") {
    std::vector<MasterRefresher::Named> named;
    for (const auto& r : config.resolved_names) named.push_back({r.name, r.token, r.expiry});
    refresher =
        std::make_unique<MasterRefresher>([config] { return instrument_master_source(config); },
                                          std::move(named), info, [] { return Feed::wall_clock_ms(); });
  }
  feed->use_instrument_master(info, std::move(refresher));
  return feed;
}

}  // namespace

std::unique_ptr<Feed> make_feed(const FeedConfig& config, boost::asio::io_context& io, SymbolTable& symbols,
                                const std::vector<Interval>& intervals, std::uint32_t history,
                                const SessionConfig& session) {
  if (config.kind == "simulator") {
    std::vector<SymbolId> ids;
    for (const auto& s : config.symbols)
      if (auto id = symbols.intern(s)) ids.push_back(*id);
    return std::make_unique<SimulatorFeed>(config.simulator, std::move(ids), io);
  }
  if (config.kind == "replay") return std::make_unique<ReplayFeed>(config.replay, io, symbols);
  if (config.kind == "binance") return std::make_unique<BinanceFeed>(config, intervals, io, symbols);
  if (config.kind == "kite")
    return with_master(std::make_unique<KiteFeed>(config.kite, io, symbols, intervals, session), config);
  if (config.kind == "nats") return std::make_unique<NatsFeed>(config, intervals, history, io, symbols);
  if (config.kind == "smartapi")
    return with_master(std::make_unique<SmartApiFeed>(config.smartapi, io, symbols, intervals, session),
                       config);
  throw std::runtime_error(config.mark.str() + ": feed kind '" + config.kind + "' is not available");
}

}  // namespace tickd::core
