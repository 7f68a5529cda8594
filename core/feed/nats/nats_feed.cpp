#include "feed/nats/nats_feed.hpp"

#include <tickd/backoff.hpp>

#include <tickd/nats_connection.hpp>
#include <tickd/nats_subjects.hpp>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include <algorithm>

namespace tickd::core {

namespace {

constexpr std::int64_t kNanosPerMs = 1000000;
// Clocks of the ingest and edge hosts may differ: start this much earlier.
constexpr TimeMs kClockMarginMs = 5 * 60 * 1000;
// Ordered consumers prove they are alive this often; a missed beat re-creates them.
constexpr std::int64_t kHeartbeatNs = 1000LL * kNanosPerMs;

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

bool wants_all(const std::vector<std::string>& symbols) {
  return symbols.empty() || std::find(symbols.begin(), symbols.end(), "*") != symbols.end();
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

void NatsFeed::on_connected(natsConnection*, void* closure) {
  auto* self = static_cast<NatsFeed*>(closure);
  if (self->connected_.exchange(true)) return;
  {
    std::lock_guard<std::mutex> lock(self->mu_);
    if (self->subscribed_) {
      self->resubscribe_ = true;
      self->reconnects_.fetch_add(1, std::memory_order_relaxed);
      spdlog::info("nats feed: reconnected; consumers resume after the last candle received");
    } else {
      spdlog::info("nats feed: connected");
    }
  }
  self->cv_.notify_all();
}

void NatsFeed::on_disconnected(natsConnection*, void* closure) {
  auto* self = static_cast<NatsFeed*>(closure);
  if (self->connected_.exchange(false)) spdlog::warn("nats feed: disconnected; reconnecting");
}

void NatsFeed::subscriber_loop() {
  std::unique_lock<std::mutex> lock(mu_);
  Backoff backoff(std::chrono::milliseconds(200), std::chrono::milliseconds(5000), Backoff::Jitter::equal);
  std::int64_t wait_ms = 0;
  while (!stopping_) {
    cv_.wait_for(lock, std::chrono::milliseconds(wait_ms),
                 [&] { return stopping_ || (connected_.load() && (!subscribed_ || resubscribe_)); });
    if (stopping_ || !connected_ || (subscribed_ && !resubscribe_)) {
      wait_ms = 1000;
      continue;
    }
    const bool again = subscribed_;
    resubscribe_ = false;
    lock.unlock();
    bool ok = true;
    if (again)
      resubscribe_consumers();
    else
      ok = subscribe_all();
    lock.lock();
    subscribed_ = subscribed_ || ok;
    wait_ms = ok ? 1000 : backoff.next().count();
    if (ok) backoff.reset();
  }
}

void NatsFeed::resubscribe_consumers() {
  for (auto& c : consumers_) {
    natsSubscription* old = c->sub;
    c->sub = nullptr;
    if (!subscribe_consumer(*c)) {
      c->sub = old;  // try again at the next reconnect; the library may still recover it
      std::lock_guard<std::mutex> lock(mu_);
      resubscribe_ = true;
      continue;
    }
    if (old) {
      natsSubscription_Unsubscribe(old);
      natsSubscription_Destroy(old);
    }
  }
}

bool NatsFeed::subscribe_consumer(Consumer& c) {
  jsSubOptions so;
  jsSubOptions_Init(&so);
  so.Stream = config_.stream.c_str();
  so.Ordered = true;
  const std::uint64_t last = c.last_seq.load();
  if (last > 0) {
    so.Config.DeliverPolicy = js_DeliverByStartSequence;
    so.Config.OptStartSeq = last + 1;
  } else {
    so.Config.DeliverPolicy = js_DeliverByStartTime;
    so.Config.OptStartTime = start_ms_[c.index] * kNanosPerMs;
  }
  so.Config.Heartbeat = kHeartbeatNs;
  jsErrCode jerr = static_cast<jsErrCode>(0);
  natsSubscription* sub = nullptr;
  const natsStatus s =
      js_Subscribe(&sub, js_, c.subject.c_str(), &NatsFeed::on_closed_message, &c, nullptr, &so, &jerr);
  if (s != NATS_OK) {
    spdlog::warn("nats feed: cannot subscribe to {} in stream {}: {}{}", c.subject, config_.stream,
                 nats_error_text(s), jerr ? " (JetStream error " + std::to_string(jerr) + ")" : "");
    return false;
  }
  natsSubscription_SetPendingLimits(sub, -1, -1);  // closed candles are never dropped here
  c.sub = sub;
  // Nothing to replay: caught up at once (else the last replayed message says so).
  jsConsumerInfo* info = nullptr;
  if (natsSubscription_GetConsumerInfo(&info, sub, nullptr, nullptr) == NATS_OK) {
    if (info->NumPending == 0 && info->Delivered.Stream == 0)
      enqueue(Inbound{Kind::caught_up, c.index, nullptr});
    jsConsumerInfo_Destroy(info);
  }
  return true;
}

bool NatsFeed::subscribe_all() {
  for (auto& c : consumers_)
    if (!c->sub && !subscribe_consumer(*c)) return false;
  auto core = [&](const std::string& subject, natsMsgHandler handler) {
    natsSubscription* sub = nullptr;
    if (natsConnection_Subscribe(&sub, nc_, subject.c_str(), handler, this) == NATS_OK)
      core_subs_.push_back(sub);
    else
      spdlog::warn("nats feed: cannot subscribe to {}", subject);
  };
  const bool all = wants_all(symbol_names_);
  for (Interval iv : intervals_) {
    if (!config_.updates) break;
    if (all)
      core(config_.prefix + ".candle.*." + std::string(iv.name()), &NatsFeed::on_update_message);
    else
      for (const auto& s : symbol_names_)
        core(nats_subjects::candle(config_.prefix, s, iv), &NatsFeed::on_update_message);
  }
  if (config_.ticks) {
    if (all)
      core(config_.prefix + ".tick.*", &NatsFeed::on_tick_message);
    else
      for (const auto& s : symbol_names_)
        core(nats_subjects::tick(config_.prefix, s), &NatsFeed::on_tick_message);
  }
  spdlog::info("nats feed: {} consumers on stream {}, {} subscriptions for updates and ticks",
               consumers_.size(), config_.stream, core_subs_.size());
  return true;
}

void NatsFeed::on_closed_message(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
  auto* c = static_cast<Consumer*>(closure);
  c->feed->enqueue(Inbound{Kind::closed, c->index, msg});
}

void NatsFeed::on_update_message(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
  static_cast<NatsFeed*>(closure)->enqueue(Inbound{Kind::update, 0, msg});
}

void NatsFeed::on_tick_message(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
  static_cast<NatsFeed*>(closure)->enqueue(Inbound{Kind::tick, 0, msg});
}

void NatsFeed::enqueue(Inbound in) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) {
    natsMsg_Destroy(in.msg);
    return;
  }
  inbox_.push_back(in);
  if (drain_posted_) return;
  drain_posted_ = true;
  boost::asio::post(io_, [this] { drain(); });
}

void NatsFeed::drain() {
  std::vector<Inbound> batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    batch.swap(inbox_);
    drain_posted_ = false;
  }
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
      if (phase_ == Phase::live || s.restored) {
        pass_closed(s, c);
      } else if (consumer.caught_up) {
        held_.push_back(Held{key, c});
      } else {
        std::optional<CandleData> none;
        if (s.gate.closed(c, none)) {
          s.history.push_back(c);
          if (s.history.size() > history_) s.history.pop_front();
        } else {
          duplicates_.fetch_add(1, std::memory_order_relaxed);
        }
      }
    }
    if (last) caught_up(consumer);
    return;
  }
  bad_message(msg, "no JetStream metadata");
}

void NatsFeed::pass_closed(Series& s, const CandleData& c) {
  std::optional<CandleData> release;
  if (!s.gate.closed(c, release)) {
    duplicates_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  closed_.fetch_add(1, std::memory_order_relaxed);
  sink_->on_exchange_candle(c);
  if (release) sink_->on_exchange_candle(*release);
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
  for (const Held& h : held_) pass_closed(series_.at(h.key), h.candle);
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
  if (subscriber_.joinable()) subscriber_.join();
  for (auto& c : consumers_) {
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
  s.last_message_ms = last_message_ms_.load(std::memory_order_relaxed);
  s.has_position = true;
  s.position = position_.load(std::memory_order_relaxed);
  for (const auto& c : consumers_) s.lag_messages += c->pending.load(std::memory_order_relaxed);
  const TimeMs since = lag_since_ms_.load(std::memory_order_relaxed);
  s.lag_seconds = since > 0 ? std::max<TimeMs>(0, wall_clock_ms() - since) / 1000.0 : 0.0;
  return s;
}

}  // namespace tickd::core
