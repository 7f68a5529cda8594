#include "app/daemon_host_services.hpp"

#include "app/status_json.hpp"

#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

namespace tickd::core {

DaemonHostServices::DaemonHostServices(const Config& config, SymbolTable& symbols,
                                       boost::asio::io_context& io)
    : config_(config), symbols_(symbols), io_(io) {
  for (Interval iv : config.aggregator.intervals) intervals_.push_back(iv.seconds());
}

bool DaemonHostServices::history(SymbolId symbol, Interval interval, std::uint32_t limit,
                                 std::vector<CandleData>& out) const {
  return aggregator_ && aggregator_->history(symbol, interval, limit, out);
}

void DaemonHostServices::publish(Signal signal) {
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

namespace {
// The feed thread counts as stalled after this long without a heartbeat.
constexpr long long kStalledAfterMs = 5000;

}  // namespace

ObserverStatus observer_status(ObserverSnapshot snap) {
  ObserverStatus o;
  o.name = std::move(snap.name);
  o.config = std::move(snap.config_digest);
  const ObserverCounters& c = snap.counters;
  o.delivered = c.delivered;
  o.dropped = c.dropped;
  o.failures = c.failures;
  o.skipped = c.skipped;
  o.queue_depth = c.queue_depth;
  o.suspended = c.suspended;
  o.suspended_reason = std::move(snap.suspended_reason);
  o.undelivered = c.undelivered;
  o.metrics = std::move(snap.metrics);
  o.lost = o.undelivered + static_cast<std::uint64_t>(plugin_losses(o.metrics));
  return o;
}

DaemonStatus DaemonHostServices::status() const {
  DaemonStatus s;
  if (heartbeat_) {
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
                   .count();
    s.feed_thread_heartbeat_ms = now - heartbeat_->load();
    s.status = !started_.load()                               ? "starting"
               : s.feed_thread_heartbeat_ms < kStalledAfterMs ? "ok"
                                                              : "stalled";
  }
  s.feed.kind = config_.feed.kind;
  if (feed_) {
    FeedStats fs = feed_->stats();
    TimeMs now = Feed::wall_clock_ms();
    s.feed.state = fs.state;
    s.feed.messages = fs.messages;
    s.feed.ticks = fs.ticks;
    s.feed.decode_errors = fs.decode_errors;
    s.feed.dropped = fs.dropped;
    s.feed.reconnects = fs.reconnects;
    s.feed.seconds_since_last_message = fs.last_message_ms ? (now - fs.last_message_ms) / 1000.0 : -1.0;
    const InstrumentMasterInfo& m = fs.instrument_master;
    s.feed.instrument_master = {m.source, m.instruments,
                                m.fetched_at_ms ? (now - m.fetched_at_ms) / 1000.0 : -1.0, m.note};
    s.feed.instruments_expired = fs.instruments_expired;
    for (std::size_t i = 0; i < fs.connections.size(); ++i) {
      const ConnectionStats& c = fs.connections[i];
      s.feed.connections.push_back({std::to_string(i + 1), c.state, c.messages, c.ticks, c.reconnects,
                                    c.instruments,
                                    c.last_message_ms ? (now - c.last_message_ms) / 1000.0 : -1.0});
    }
    if (fs.has_position) {
      s.feed.consumer_position = fs.position;
      s.feed.lag_candles = fs.lag_messages;
      s.feed.lag_seconds = fs.lag_seconds;
    }
  }
  if (aggregator_) {
    AggregatorStats as = aggregator_->stats();
    AggregatorStatus& a = s.aggregator;
    a.ticks = as.ticks;
    a.late_dropped = as.late_dropped;
    a.late_amended = as.late_amended;
    a.candles_amended = as.candles_amended;
    a.amended_unmerged = as.amended_unmerged;
    a.gap_filled = as.gap_filled;
    a.gap_fill_truncated = as.gap_fill_truncated;
    for (std::size_t i = 0; i < as.closed_per_interval.size() && i < config_.aggregator.intervals.size(); ++i)
      a.candles_closed.emplace_back(std::string(config_.aggregator.intervals[i].name()),
                                    as.closed_per_interval[i]);
  }
  if (gate_) {
    // The feed gate's rejections, one counter per reason (feed/tick_gate.hpp).
    const GateStats gs = gate_->stats();
    for (int i = 0; i < static_cast<int>(GateReason::count); ++i)
      s.gate.rejected.emplace_back(gate_reason_name(static_cast<GateReason>(i)), gs.rejected[i]);
    s.gate.rejected_total = gs.total();
  }
  s.signals_published = signals_published();
  s.symbols = symbols_.size();
  if (dispatcher_)
    for (auto& snap : dispatcher_->snapshot()) s.observers.push_back(observer_status(std::move(snap)));
  return s;
}

std::string DaemonHostServices::status_json() const { return status_to_json(status()).dump(); }

}  // namespace tickd::core
