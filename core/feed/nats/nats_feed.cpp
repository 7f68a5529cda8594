// NatsFeed, the feed thread's side: restoring history from the stream, the
// seam to live, passing each closed candle once, updates and ticks, status.
// The NATS client's side is in nats_feed_subscriptions.cpp.
#include "feed/nats/nats_feed.hpp"

#include "nats_client/nats_connection.hpp"
#include "nats_client/nats_subjects.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace tickd::core {

namespace {

constexpr std::int64_t kNanosPerMs = 1000000;
// Clocks of the ingest and edge hosts may differ: start this much earlier.
constexpr TimeMs kClockMarginMs = 5 * 60 * 1000;

NatsConnectionConfig connection_config(const NatsFeedConfig& c) {
  NatsConnectionConfig out;
  out.servers = c.servers;
  out.name = "tickd-edge";
  out.user = c.user;
  out.password = c.password;
  out.token = c.token;
  out.creds_file = c.creds_file;
  out.nkey_public = c.nkey_public;
  out.nkey_seed_file = c.nkey_seed_file;
  out.ca_file = c.ca_file;
  out.cert_file = c.cert_file;
  out.key_file = c.key_file;
  out.reconnect_wait_ms = c.reconnect_wait_ms;
  return out;
}

std::string_view payload_of(natsMsg* msg) {
  return {natsMsg_GetData(msg), static_cast<std::size_t>(natsMsg_GetDataLength(msg))};
}

// The revision of a closed candle: its message id says it (the `nats` plugin
// sets one on every closed candle). A message without one, published by
// something else, counts as the bucket's first close.
std::uint32_t revision_of(natsMsg* msg) {
  const char* id = nullptr;
  if (natsMsgHeader_Get(msg, "Nats-Msg-Id", &id) != NATS_OK || !id) return 0;
  return nats_subjects::candle_revision(id).value_or(0);
}

}  // namespace

NatsFeed::NatsFeed(const FeedConfig& config, const std::vector<Interval>& intervals, std::uint32_t history,
                   boost::asio::io_context& io, SymbolTable& symbols)
    : config_(config.nats),
      symbol_names_(config.symbols),
      history_(history),
      io_(io),
      symbols_(symbols),
      decoder_(symbols, config.symbols) {
  intervals_ = config_.intervals.empty() ? intervals : config_.intervals;
  for (Interval iv : intervals_)
    if (std::find(intervals.begin(), intervals.end(), iv) == intervals.end())
      throw std::runtime_error("nats feed: interval " + std::string(iv.name()) +
                               " is not one of aggregator.intervals");
  for (Interval iv : intervals_) {
    auto c = std::make_unique<Consumer>();
    c->feed = this;
    c->index = static_cast<std::uint32_t>(consumers_.size());
    c->interval = iv;
    c->subject = config_.prefix + ".closed.*." + std::string(iv.name());
    consumers_.push_back(std::move(c));
  }
  if (config_.signals) {
    signal_consumer_ = std::make_unique<Consumer>();
    signal_consumer_->feed = this;
    signal_consumer_->index = static_cast<std::uint32_t>(consumers_.size());
    signal_consumer_->subject = config_.prefix + ".signal.*";
  }
}

NatsFeed::~NatsFeed() {
  stop();
  for (const Inbound& in : inbox_) natsMsg_Destroy(in.msg);
}

TimeMs NatsFeed::start_time_ms(Interval interval) {
  // Far enough back for `history` candles of every series...
  TimeMs start = wall_clock_ms() - (static_cast<TimeMs>(history_) + 2) * interval.length_ms();
  // ...or for what happened since storage stopped: a candle opening at or
  // after `end` was published after `end`.
  for (std::size_t i = 0, n = symbols_.size(); i < n; ++i) {
    const TimeMs end = sink_->history_end(static_cast<SymbolId>(i), interval);
    if (end > 0) start = std::min(start, end);
  }
  return std::max<TimeMs>(0, start - kClockMarginMs);
}

void NatsFeed::start(FeedSink& sink) {
  sink_ = &sink;
  for (const auto& c : consumers_) start_ms_.push_back(start_time_ms(c->interval));
  if (signal_consumer_) start_ms_.push_back(wall_clock_ms());
  NatsConnectionCallbacks callbacks;
  callbacks.connected = &NatsFeed::on_connected;
  callbacks.disconnected = &NatsFeed::on_disconnected;
  callbacks.closure = this;
  NatsOptionsPtr options = make_nats_options(connection_config(config_), callbacks);
  const natsStatus s = natsConnection_Connect(&nc_, options.get());
  if (s != NATS_OK && s != NATS_NOT_YET_CONNECTED)
    throw std::runtime_error("nats feed: cannot connect: " + nats_error_text(s));
  nats_check(natsConnection_JetStream(&js_, nc_, nullptr), "nats feed: JetStream context");
  if (s == NATS_OK) {
    connected_ = true;
    spdlog::info("nats feed: connected to {}", config_.servers.front());
  } else {
    spdlog::warn("nats feed: no server reachable yet; connecting in the background");
  }
  subscriber_ = std::thread([this] { subscriber_loop(); });
}

void NatsFeed::drain() {
  std::vector<Inbound> batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    batch.swap(inbox_);
    drain_posted_ = false;
  }
  room_.notify_all();
  if (phase_ == Phase::stopped) {
    for (const Inbound& in : batch) natsMsg_Destroy(in.msg);
    return;
  }
  TickBatch scope(*sink_);
  for (const Inbound& in : batch) {
    if (in.msg) {
      messages_.fetch_add(1, std::memory_order_relaxed);
      last_message_ms_.store(wall_clock_ms(), std::memory_order_relaxed);
    }
    switch (in.kind) {
      case Kind::closed:
        handle_closed(*consumers_[in.consumer], in.msg);
        break;
      case Kind::update:
        handle_update(in.msg);
        break;
      case Kind::tick:
        handle_tick(in.msg);
        break;
      case Kind::signal:
        handle_signal(in.msg);
        break;
      case Kind::caught_up:
        caught_up(*consumers_[in.consumer]);
        break;
    }
    natsMsg_Destroy(in.msg);
  }
}

NatsFeed::Series& NatsFeed::series(const CandleData& c, std::uint64_t& key) {
  key = (static_cast<std::uint64_t>(c.symbol) << 32) | static_cast<std::uint32_t>(c.interval_s);
  auto it = series_.find(key);
  if (it != series_.end()) return it->second;
  const Interval iv = *Interval::from_seconds(c.interval_s);
  Series& s = series_.emplace(key, Series(iv.length_ms())).first->second;
  // Every interval relayed at once: a 1m candle arriving first must not be
  // merged into a 5m series whose own candles are on their way.
  if (owned_symbols_.insert(c.symbol).second)
    for (Interval relayed : intervals_) sink_->on_exchange_series(c.symbol, relayed);
  const TimeMs end = sink_->history_end(c.symbol, iv);
  s.restored = end > 0;
  s.gate.restored_until(end);
  return s;
}

void NatsFeed::handle_closed(Consumer& consumer, natsMsg* msg) {
  jsMsgMetaData* meta = nullptr;
  if (natsMsg_GetMetaData(&meta, msg) == NATS_OK) {
    consumer.last_seq.store(meta->Sequence.Stream, std::memory_order_relaxed);
    // Consumers run side by side: the position is the furthest, the lag their sum.
    if (meta->Sequence.Stream > position_.load(std::memory_order_relaxed))
      position_.store(meta->Sequence.Stream, std::memory_order_relaxed);
    consumer.pending.store(meta->NumPending, std::memory_order_relaxed);
    lag_since_ms_.store(meta->NumPending ? meta->Timestamp / kNanosPerMs : 0, std::memory_order_relaxed);
    const bool last = meta->NumPending == 0;
    jsMsgMetaData_Destroy(meta);
    // Decode first: the message that completes the replay belongs to it.
    CandleData c;
    std::string error;
    const auto r = decoder_.candle(payload_of(msg), true, c, error);
    if (r == NatsMessageDecoder::Result::error) bad_message(msg, error);
    if (r == NatsMessageDecoder::Result::ok && c.interval_s == consumer.interval.seconds()) {
      std::uint64_t key = 0;
      Series& s = series(c, key);
      const std::uint32_t revision = revision_of(msg);
      if (phase_ == Phase::live || s.restored) {
        pass_closed(s, c, revision);
      } else if (consumer.caught_up) {
        held_.push_back(Held{key, revision, c});
      } else {
        collect_history(s, c, revision);
      }
    }
    if (last) caught_up(consumer);
    return;
  }
  bad_message(msg, "no JetStream metadata");
}

void NatsFeed::collect_history(Series& s, const CandleData& c, std::uint32_t revision) {
  std::optional<CandleData> none;
  switch (s.gate.closed(c, revision, none)) {
    case SeriesGate::Closed::pass:
      s.history.push_back(c);
      if (s.history.size() > history_) s.history.pop_front();
      break;
    case SeriesGate::Closed::amend: {
      // History only, like the rest of the replay: one older than what is
      // collected is of no use.
      auto it = std::find_if(s.history.rbegin(), s.history.rend(),
                             [&](const CandleData& h) { return h.open_time == c.open_time; });
      if (it != s.history.rend()) *it = c;
      break;
    }
    case SeriesGate::Closed::repeat:
      duplicates_.fetch_add(1, std::memory_order_relaxed);
      break;
  }
}

void NatsFeed::pass_closed(Series& s, const CandleData& c, std::uint32_t revision) {
  std::optional<CandleData> release;
  switch (s.gate.closed(c, revision, release)) {
    case SeriesGate::Closed::repeat:
      duplicates_.fetch_add(1, std::memory_order_relaxed);
      return;
    case SeriesGate::Closed::amend:
      sink_->on_amended_candle(c);
      return;
    case SeriesGate::Closed::pass:
      closed_.fetch_add(1, std::memory_order_relaxed);
      sink_->on_exchange_candle(c);
      if (release) sink_->on_exchange_candle(*release);
      return;
  }
}

void NatsFeed::caught_up(Consumer& consumer) {
  if (consumer.caught_up) return;
  consumer.caught_up = true;
  if (phase_ == Phase::live) return;
  for (const auto& c : consumers_)
    if (!c->caught_up) {
      phase_ = Phase::restoring;
      return;
    }
  go_live();
}

void NatsFeed::go_live() {
  std::size_t history = 0;
  for (auto& [key, s] : series_) {
    if (s.history.empty()) continue;
    const std::vector<CandleData> candles(s.history.begin(), s.history.end());
    const auto iv = *Interval::from_seconds(candles.front().interval_s);
    sink_->on_history_candles(candles.front().symbol, iv, candles);
    history += candles.size();
    s.history.clear();
  }
  phase_ = Phase::live;
  for (const Held& h : held_) pass_closed(series_.at(h.key), h.candle, h.revision);
  held_.clear();
  spdlog::info("nats feed: live ({} closed candles restored into history, {} delivered to catch up)", history,
               closed_.load());
}

void NatsFeed::handle_update(natsMsg* msg) {
  if (phase_ != Phase::live) return;  // the bucket is not known to be next yet
  CandleData c;
  std::string error;
  const auto r = decoder_.candle(payload_of(msg), false, c, error);
  if (r == NatsMessageDecoder::Result::error) bad_message(msg, error);
  if (r != NatsMessageDecoder::Result::ok) return;
  auto it = std::find_if(intervals_.begin(), intervals_.end(),
                         [&](Interval iv) { return iv.seconds() == c.interval_s; });
  if (it == intervals_.end()) return;
  std::uint64_t key = 0;
  Series& s = series(c, key);
  const SeriesGate::Update u = s.gate.update(c);
  if (u == SeriesGate::Update::pass) {
    updates_.fetch_add(1, std::memory_order_relaxed);
    sink_->on_exchange_candle(c);
  } else if (u == SeriesGate::Update::held) {
    updates_held_.fetch_add(1, std::memory_order_relaxed);
  }
}

void NatsFeed::handle_tick(natsMsg* msg) {
  if (phase_ != Phase::live) return;
  TickData t;
  std::string error;
  const auto r = decoder_.tick(payload_of(msg), t, error);
  if (r == NatsMessageDecoder::Result::error) bad_message(msg, error);
  if (r != NatsMessageDecoder::Result::ok) return;
  ticks_.fetch_add(1, std::memory_order_relaxed);
  sink_->on_tick(t);
}

void NatsFeed::handle_signal(natsMsg* msg) {
  jsMsgMetaData* meta = nullptr;
  if (natsMsg_GetMetaData(&meta, msg) != NATS_OK) return bad_message(msg, "no JetStream metadata");
  signal_consumer_->last_seq.store(meta->Sequence.Stream, std::memory_order_relaxed);
  signal_consumer_->pending.store(meta->NumPending, std::memory_order_relaxed);
  jsMsgMetaData_Destroy(meta);
  SymbolId symbol = 0;
  Signal signal;
  std::string error;
  const auto r = decoder_.signal(payload_of(msg), symbol, signal, error);
  if (r == NatsMessageDecoder::Result::error) bad_message(msg, error);
  if (r != NatsMessageDecoder::Result::ok) return;
  sink_->on_signal(symbol, std::move(signal));
}

void NatsFeed::bad_message(natsMsg* msg, const std::string& error) {
  decode_errors_.fetch_add(1, std::memory_order_relaxed);
  std::uint64_t suppressed = 0;
  if (bad_log_.allow(suppressed))
    spdlog::warn("nats feed: skipped a bad message on {} ({}){}", natsMsg_GetSubject(msg), error,
                 suppressed ? fmt::format(" [{} similar messages suppressed]", suppressed) : "");
}

void NatsFeed::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  phase_ = Phase::stopped;
  cv_.notify_all();
  room_.notify_all();
  if (subscriber_.joinable()) subscriber_.join();
  for (Consumer* c : all_consumers()) {
    if (c->sub) natsSubscription_Unsubscribe(c->sub);
    natsSubscription_Destroy(c->sub);
    c->sub = nullptr;
  }
  for (natsSubscription* s : core_subs_) {
    natsSubscription_Unsubscribe(s);
    natsSubscription_Destroy(s);
  }
  core_subs_.clear();
  if (js_) jsCtx_Destroy(js_);
  js_ = nullptr;
  if (nc_) {
    natsConnection_Close(nc_);
    natsConnection_Destroy(nc_);
  }
  nc_ = nullptr;
}

std::size_t NatsFeed::inbox_size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return inbox_.size();
}

FeedStats NatsFeed::stats() const {
  FeedStats s;
  const Phase phase = phase_.load();
  static const char* names[] = {"connecting", "restoring", "live", "stopped"};
  s.state = names[static_cast<int>(phase)];
  if (phase != Phase::stopped && !connected_.load() && phase != Phase::connecting) s.state = "reconnecting";
  s.messages = messages_.load(std::memory_order_relaxed);
  s.ticks = ticks_.load(std::memory_order_relaxed);
  s.decode_errors = decode_errors_.load(std::memory_order_relaxed);
  s.reconnects = reconnects_.load(std::memory_order_relaxed);
  s.dropped = dropped_.load(std::memory_order_relaxed);
  s.last_message_ms = last_message_ms_.load(std::memory_order_relaxed);
  s.has_position = true;
  s.position = position_.load(std::memory_order_relaxed);
  for (const auto& c : consumers_) s.lag_messages += c->pending.load(std::memory_order_relaxed);
  const TimeMs since = lag_since_ms_.load(std::memory_order_relaxed);
  s.lag_seconds = since > 0 ? std::max<TimeMs>(0, wall_clock_ms() - since) / 1000.0 : 0.0;
  return s;
}

}  // namespace tickd::core
