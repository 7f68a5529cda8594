#include "app/host_services.hpp"

#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

namespace tickd::core {

HostServices::HostServices(const Config& config, SymbolTable& symbols, boost::asio::io_context& io)
    : config_(config), symbols_(symbols), io_(io) {
  for (Interval iv : config.aggregator.intervals) intervals_.push_back(iv.seconds());
}

bool HostServices::history(SymbolId symbol, Interval interval, std::uint32_t limit,
                           std::vector<CandleData>& out) const {
  return aggregator_ && aggregator_->history(symbol, interval, limit, out);
}

void HostServices::publish(Signal signal) {
  auto id = symbols_.intern(signal.symbol);
  if (!id) return;
  auto record = std::make_shared<SignalRecord>();
  record->symbol = *id;
  record->signal = std::move(signal);
  signals_.fetch_add(1, std::memory_order_relaxed);
  // Signals re-enter the bus on the feed thread, like every other event, so
  // that the dispatcher keeps a single writer.
  boost::asio::post(io_, [this, record = std::move(record)]() mutable {
    if (dispatcher_) dispatcher_->dispatch(Event::of_signal(std::move(record)));
  });
}

std::string HostServices::status_json() const {
  nlohmann::json j;
  if (feed_) {
    FeedStats fs = feed_->stats();
    TimeMs now = Feed::wall_clock_ms();
    j["feed"] = {
        {"kind", config_.feed.kind},
        {"state", fs.state},
        {"messages", fs.messages},
        {"ticks", fs.ticks},
        {"decode_errors", fs.decode_errors},
        {"reconnects", fs.reconnects},
        {"seconds_since_last_message", fs.last_message_ms ? (now - fs.last_message_ms) / 1000.0 : -1.0}};
    if (fs.has_position) {
      j["feed"]["consumer_position"] = fs.position;
      j["feed"]["lag_candles"] = fs.lag_messages;
      j["feed"]["lag_seconds"] = fs.lag_seconds;
    }
  }
  if (aggregator_) {
    AggregatorStats as = aggregator_->stats();
    nlohmann::json closed = nlohmann::json::object();
    for (std::size_t i = 0; i < as.closed_per_interval.size() && i < config_.aggregator.intervals.size(); ++i)
      closed[std::string(config_.aggregator.intervals[i].name())] = as.closed_per_interval[i];
    j["aggregator"] = {{"ticks", as.ticks},
                       {"late_dropped", as.late_dropped},
                       {"late_amended", as.late_amended},
                       {"gap_filled", as.gap_filled},
                       {"gap_fill_truncated", as.gap_fill_truncated},
                       {"candles_closed", closed}};
  }
  j["signals_published"] = signals_published();
  nlohmann::json observers = nlohmann::json::array();
  if (dispatcher_)
    for (const auto& [name, c] : dispatcher_->counters())
      observers.push_back({{"name", name},
                           {"delivered", c.delivered},
                           {"dropped", c.dropped},
                           {"failures", c.failures},
                           {"skipped", c.skipped},
                           {"queue_depth", c.queue_depth},
                           {"suspended", c.suspended}});
  j["observers"] = observers;
  j["symbols"] = symbols_.size();
  return j.dump();
}

}  // namespace tickd::core
