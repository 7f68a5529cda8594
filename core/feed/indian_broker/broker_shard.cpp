#include "feed/indian_broker/broker_shard.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace tickd::core {

BrokerShard::BrokerShard(std::string name, Host& host, boost::asio::io_context& io,
                         WsConnectionOptions options, std::unique_ptr<ShardProtocol> protocol,
                         std::vector<HistoryInstrument> instruments)
    : name_(std::move(name)),
      host_(host),
      protocol_(std::move(protocol)),
      instruments_(std::move(instruments)),
      backfill_(name_, {[this](TimeMs from, TimeMs until, std::uint64_t generation) {
                          return fetch_backfill(from, until, generation);
                        },
                        [this](const CandleData& c) { host_.sink().on_backfill_candle(c); },
                        [this](std::deque<TickData>& ticks) { replay(ticks); }}),
      instruments_count_(instruments_.size()) {
  options.name = name_;
  WsConnection::Handlers handlers;
  handlers.on_open = [this] { on_open(); };
  handlers.on_message = [this](std::string_view payload, bool binary) { on_message(payload, binary); };
  handlers.on_lost = [this] { on_lost(); };
  connection_ = std::make_unique<WsConnection>(io, std::move(options), std::move(handlers));
}

BrokerShard::~BrokerShard() { stop(); }

void BrokerShard::hand_over_held() {
  if (!backfill_.holding()) return;
  TickBatch batch(host_.sink());
  for (const TickData& t : backfill_.held()) {
    ticks_.fetch_add(1, std::memory_order_relaxed);
    host_.counters().tick();
    host_.sink().on_tick(t);
  }
}

void BrokerShard::stop() {
  phase_ = Phase::stopped;
  backfill_.stop();
  if (connection_) connection_->stop();
}

void BrokerShard::on_open() {
  for (const std::string& message : protocol_->subscribe_messages()) connection_->send_text(message);
  phase_ = backfill_.opened(host_.backfill_step_ms()) ? Phase::backfilling : Phase::live;
}

void BrokerShard::on_lost() {
  protocol_->reset();
  backfill_.lost(newest_);
  if (!clock_paused_) host_.clock().pause();
  clock_paused_ = true;
  if (phase_ != Phase::stopped) phase_ = Phase::connecting;
}

void BrokerShard::on_message(std::string_view payload, bool binary) {
  DecodeError error{"unknown"};
  if (protocol_->decode(payload, binary, *this, error) == DecodeResult::error)
    host_.counters().decode_error(error, payload);
}

void BrokerShard::on_tick(const TickData& tick) {
  // A time the gate rejects (one far-future row) moves neither the clock nor
  // the end of an outage: every later outage would seem to begin in 2100.
  const TimeMs time = host_.sink().implausible_time(tick.time) ? 0 : tick.time;
  if (backfill_.hold(tick, time)) return;
  if (time > 0) {
    if (clock_paused_) host_.clock().resume();
    clock_paused_ = false;
    host_.clock().saw(time);
    newest_ = std::max(newest_, time);
  }
  ticks_.fetch_add(1, std::memory_order_relaxed);
  host_.counters().tick();
  host_.sink().on_tick(tick);
}

std::size_t BrokerShard::fetch_backfill(TimeMs from, TimeMs until, std::uint64_t generation) {
  for (const HistoryInstrument& in : instruments_)
    host_.load_backfill(in, from, until, [this, generation](std::vector<CandleData> closed) {
      if (backfill_.current(generation)) backfill_.arrived(generation, closed);
    });
  return instruments_.size();
}

void BrokerShard::replay(std::deque<TickData>& ticks) {
  if (phase_ != Phase::stopped) phase_ = Phase::live;
  TickBatch batch(host_.sink());
  for (const TickData& t : ticks) on_tick(t);
}

bool BrokerShard::remove(SymbolId symbol) {
  const auto it = std::find_if(instruments_.begin(), instruments_.end(),
                               [&](const HistoryInstrument& in) { return in.id == symbol; });
  if (it == instruments_.end()) return false;
  instruments_.erase(it);
  instruments_count_ = instruments_.size();
  const std::string message = protocol_->unsubscribe(symbol);
  if (!message.empty()) connection_->send_text(message);  // not open: the next subscribe leaves it out
  return true;
}

ConnectionStats BrokerShard::stats(bool refused) const {
  static const char* names[] = {"connecting", "live", "backfilling", "stopped"};
  ConnectionStats s;
  const Phase phase = phase_.load();
  const ConnectionState cs = connection_->state();
  s.state = names[static_cast<int>(phase)];
  if (phase != Phase::stopped) {
    if (cs == ConnectionState::auth_failed || (refused && cs != ConnectionState::open))
      s.state = "auth_failed";
    else if (cs == ConnectionState::backoff)
      s.state = "backoff";
  }
  s.messages = connection_->messages();
  s.ticks = ticks_.load(std::memory_order_relaxed);
  s.reconnects = connection_->reconnects();
  s.instruments = instruments_count_.load(std::memory_order_relaxed);
  s.last_message_ms = connection_->last_message_ms();
  return s;
}

}  // namespace tickd::core
