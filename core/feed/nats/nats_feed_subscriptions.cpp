// NatsFeed, the NATS client's side: connection events, (re)subscribing the
// ordered JetStream consumers and the core NATS subscriptions, and the
// callbacks that queue messages for the feed thread (nats_feed.cpp).
#include "feed/nats/nats_feed.hpp"

#include <tickd/backoff.hpp>
#include "nats_client/nats_connection.hpp"
#include "nats_client/nats_subjects.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include <algorithm>

namespace tickd::core {

namespace {

constexpr std::int64_t kNanosPerMs = 1000000;
// Ordered consumers prove they are alive this often; a missed beat re-creates them.
constexpr std::int64_t kHeartbeatNs = 1000LL * kNanosPerMs;

bool wants_all(const std::vector<std::string>& symbols) {
  return symbols.empty() || std::find(symbols.begin(), symbols.end(), "*") != symbols.end();
}

}  // namespace

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
      if (!stopping_ && connected_ && subscribed_) {
        lock.unlock();
        const bool lost = consumer_lost();
        lock.lock();
        if (lost) {
          spdlog::warn(
              "nats feed: a consumer is gone or stalled on the server (a node left the cluster?); "
              "re-creating the consumers after the last candle received");
          resubscribe_ = true;
        }
      }
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

bool NatsFeed::consumer_lost() {
  for (Consumer* c : all_consumers()) {
    if (!c->sub) continue;
    jsConsumerInfo* info = nullptr;
    jsErrCode jerr = static_cast<jsErrCode>(0);
    // A short wait: during a leader election the default (5 s per request)
    // would delay the verdict by half a minute.
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = 1000;
    const natsStatus s = natsSubscription_GetConsumerInfo(&info, c->sub, &jo, &jerr);
    const std::uint64_t handled = c->last_seq.load(std::memory_order_relaxed);
    if (s == NATS_OK) {
      // The server holds more for it, and nothing was handled since the last
      // check: its deliveries stopped (seen when a node died mid-stream).
      const bool stalled = info->NumPending > 0 && handled == c->checked_seq;
      c->stalled_checks = stalled ? c->stalled_checks + 1 : 0;
      c->failed_checks = 0;
    } else {
      ++c->failed_checks;
    }
    c->checked_seq = handled;
    jsConsumerInfo_Destroy(info);
    // An illegal state is the library's own failed attempt to re-create an
    // ordered consumer, which it does not retry. A timeout (a leader election
    // under way) is proof only when it lasts.
    if (s == NATS_NOT_FOUND || s == NATS_ILLEGAL_STATE || s == NATS_INVALID_SUBSCRIPTION ||
        jerr == JSConsumerNotFoundErr || c->stalled_checks >= 3 || c->failed_checks >= 3) {
      for (Consumer* reset : all_consumers()) reset->stalled_checks = reset->failed_checks = 0;
      return true;
    }
  }
  return false;
}

std::vector<NatsFeed::Consumer*> NatsFeed::all_consumers() {
  std::vector<Consumer*> out;
  for (auto& c : consumers_) out.push_back(c.get());
  if (signal_consumer_) out.push_back(signal_consumer_.get());
  return out;
}

void NatsFeed::resubscribe_consumers() {
  for (Consumer* c : all_consumers()) {
    natsSubscription* old = c->sub;
    c->sub = nullptr;
    c->retired.store(old);
    if (!subscribe_consumer(*c)) {
      c->retired.store(nullptr);
      c->sub = old;  // try again at the next reconnect; the library may still recover it
      std::lock_guard<std::mutex> lock(mu_);
      resubscribe_ = true;
      continue;
    }
    spdlog::info("nats feed: consumer of {} re-created from stream sequence {}", c->subject,
                 c->last_seq.load() + 1);
    if (old) {
      natsSubscription_Unsubscribe(old);
      natsSubscription_Destroy(old);
    }
    c->retired.store(nullptr);
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
  const bool signals = &c == signal_consumer_.get();
  const natsStatus s = js_Subscribe(&sub, js_, c.subject.c_str(),
                                    signals ? &NatsFeed::on_signal_message : &NatsFeed::on_closed_message, &c,
                                    nullptr, &so, &jerr);
  if (s != NATS_OK) {
    spdlog::warn("nats feed: cannot subscribe to {} in stream {}: {}{}", c.subject, config_.stream,
                 nats_error_text(s), jerr ? " (JetStream error " + std::to_string(jerr) + ")" : "");
    return false;
  }
  natsSubscription_SetPendingLimits(sub, -1, -1);  // closed candles are never dropped here
  c.sub = sub;
  if (signals) return true;  // live only: no replay to catch up with
  // Nothing to replay: caught up at once (else the last replayed message says
  // so). Nothing delivered yet is the consumer's own count: its stream
  // position starts where the start time falls, past other subjects' messages
  // (an interval whose first candle has not closed yet would else keep the
  // whole feed restoring until it does).
  jsConsumerInfo* info = nullptr;
  if (natsSubscription_GetConsumerInfo(&info, sub, nullptr, nullptr) == NATS_OK) {
    if (info->NumPending == 0 && info->Delivered.Consumer == 0)
      enqueue(Inbound{Kind::caught_up, c.index, nullptr});
    jsConsumerInfo_Destroy(info);
  }
  return true;
}

bool NatsFeed::subscribe_all() {
  for (Consumer* c : all_consumers())
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
  spdlog::info("nats feed: {} consumers on stream {}{}, {} subscriptions for updates and ticks",
               consumers_.size(), config_.stream, signal_consumer_ ? " (and one for signals)" : "",
               core_subs_.size());
  return true;
}

void NatsFeed::on_closed_message(natsConnection*, natsSubscription* sub, natsMsg* msg, void* closure) {
  auto* c = static_cast<Consumer*>(closure);
  if (sub == c->retired.load()) {
    natsMsg_Destroy(msg);  // its successor delivers it again, in order
    return;
  }
  c->feed->enqueue(Inbound{Kind::closed, c->index, msg});
}

void NatsFeed::on_update_message(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
  static_cast<NatsFeed*>(closure)->enqueue(Inbound{Kind::update, 0, msg});
}

void NatsFeed::on_signal_message(natsConnection*, natsSubscription* sub, natsMsg* msg, void* closure) {
  auto* c = static_cast<Consumer*>(closure);
  if (sub == c->retired.load()) {
    natsMsg_Destroy(msg);
    return;
  }
  c->feed->enqueue(Inbound{Kind::signal, c->index, msg});
}

void NatsFeed::on_tick_message(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
  static_cast<NatsFeed*>(closure)->enqueue(Inbound{Kind::tick, 0, msg});
}

void NatsFeed::enqueue(Inbound in) {
  std::unique_lock<std::mutex> lock(mu_);
  if ((in.kind == Kind::update || in.kind == Kind::tick) && inbox_.size() >= kInboxLimit) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    natsMsg_Destroy(in.msg);
    return;
  }
  room_.wait(lock, [&] { return stopping_ || inbox_.size() < kInboxLimit; });
  if (stopping_) {
    natsMsg_Destroy(in.msg);
    return;
  }
  inbox_.push_back(in);
  if (drain_posted_) return;
  drain_posted_ = true;
  boost::asio::post(io_, [this] { drain(); });
}

}  // namespace tickd::core
