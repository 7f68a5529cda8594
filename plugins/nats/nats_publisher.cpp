#include "nats/nats_publisher.hpp"

#include "nats/stream_setup.hpp"

#include <tickd/wire.hpp>
#include "nats_client/nats_connection.hpp"
#include "nats_client/nats_subjects.hpp"

namespace tickd::nats_out {

namespace {
// 1, 10, 100, ...: a flood is logged a handful of times, never per record.
bool worth_logging(std::uint64_t count) {
  while (count >= 10 && count % 10 == 0) count /= 10;
  return count == 1;
}
}  // namespace

NatsPublisher::~NatsPublisher() { release(); }

void NatsPublisher::on_connected(natsConnection*, void* closure) {
  auto* self = static_cast<NatsPublisher*>(closure);
  self->connected_ = true;
  if (self->was_connected_.exchange(true)) {
    self->reconnects_.fetch_add(1, std::memory_order_relaxed);
    self->host_->info("nats: reconnected");
  } else {
    self->host_->info("nats: connected");
  }
  if (self->outbox_) self->outbox_->set_connected(true);
}

void NatsPublisher::on_disconnected(natsConnection*, void* closure) {
  auto* self = static_cast<NatsPublisher*>(closure);
  if (!self->connected_.exchange(false)) return;
  self->host_->warn("nats: disconnected; closed candles and signals wait (up to " +
                    std::to_string(self->config_.backlog) +
                    "), ticks and updates are dropped until it is back");
  if (self->outbox_) self->outbox_->set_connected(false);
}

void NatsPublisher::start(Host& host) {
  host_ = &host;
  config_ = read_publisher_config(host.config_view(publisher_config_schema()), std::string(host.name()));
  JetStreamOutbox::Limits limits;
  limits.capacity = static_cast<std::size_t>(config_.backlog);
  limits.window = static_cast<std::size_t>(config_.max_pending);
  limits.ack_timeout = std::chrono::milliseconds(config_.ack_timeout_ms);
  limits.lossless = host.lossless().value_or(false);
  outbox_ = std::make_unique<JetStreamOutbox>(limits, [this](const std::string& m) { host_->warn(m); });

  NatsConnectionCallbacks callbacks;
  callbacks.connected = &NatsPublisher::on_connected;
  callbacks.disconnected = &NatsPublisher::on_disconnected;
  callbacks.closure = this;
  NatsOptionsPtr options = make_nats_options(config_.connection, callbacks);
  const natsStatus s = natsConnection_Connect(&nc_, options.get());
  if (s != NATS_OK && s != NATS_NOT_YET_CONNECTED) {
    release();
    throw std::runtime_error("nats: cannot connect: " + nats_error_text(s));
  }
  jsOptions js_options;
  jsOptions_Init(&js_options);
  // The outbox keeps its own window; the library's limit is only a backstop.
  js_options.PublishAsync.MaxPending = config_.max_pending + 64;
  js_options.PublishAsync.AckHandler = &JetStreamOutbox::ack_handler;
  js_options.PublishAsync.AckHandlerClosure = outbox_.get();
  js_options.PublishAsync.StallWait = 1;
  if (const natsStatus js = natsConnection_JetStream(&js_, nc_, &js_options); js != NATS_OK) {
    release();
    throw std::runtime_error("nats: JetStream context: " + nats_error_text(js));
  }
  auto prepare = [this] {
    const std::string what = ensure_stream(js_, config_.stream, config_.prefix);
    host_->info("nats: stream '" + config_.stream.name + "' " + what);
  };
  if (s == NATS_OK) {
    // Reachable now: a conflicting stream fails the start, loudly.
    try {
      prepare();
    } catch (...) {
      release();
      throw;
    }
    on_connected(nc_, this);
  } else {
    host_->warn("nats: no server reachable yet; connecting in the background");
  }
  outbox_->start(js_, prepare);
}

void NatsPublisher::publish_core(const std::string& subject) {
  if (!connected() || natsConnection_Publish(nc_, subject.c_str(), buffer_.data(),
                                             static_cast<int>(buffer_.size())) != NATS_OK) {
    core_dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  core_published_.fetch_add(1, std::memory_order_relaxed);
}

void NatsPublisher::on_tick(const Tick& tick) {
  if (!config_.ticks) return;
  if (!connected()) {
    core_dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  auto it = tick_subjects_.find(tick.symbol.data());
  if (it == tick_subjects_.end())
    it = tick_subjects_.emplace(tick.symbol.data(), nats_subjects::tick(config_.prefix, tick.symbol)).first;
  buffer_.clear();
  wire::append(buffer_, tick);
  publish_core(it->second);
}

NatsPublisher::SeriesState& NatsPublisher::series(std::string_view symbol, Interval interval) {
  auto& by_interval = series_[symbol.data()];
  auto it = by_interval.find(interval.seconds());
  if (it != by_interval.end()) return it->second;
  SeriesState& s = by_interval[interval.seconds()];
  s.update_subject = nats_subjects::candle(config_.prefix, symbol, interval);
  s.closed_subject = nats_subjects::closed(config_.prefix, symbol, interval);
  return s;
}

void NatsPublisher::on_candle(const Candle& candle) {
  if (!candle.closed) {
    if (!config_.updates) return;
    if (!connected()) {
      core_dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    SeriesState& s = series(candle.symbol, candle.interval);
    buffer_.clear();
    wire::append(buffer_, candle);
    publish_core(s.update_subject);
    return;
  }
  if (candle.partial && !config_.partial) {
    partial_skipped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  SeriesState& s = series(candle.symbol, candle.interval);
  buffer_.clear();
  wire::append(buffer_, candle);
  enqueue(s.closed_subject, nats_subjects::candle_message_id(candle.symbol, candle.interval, candle.open_time,
                                                             s.revisions.next(candle.open_time)));
}

void NatsPublisher::on_signal(const Signal& signal) {
  buffer_.clear();
  wire::append(buffer_, signal);
  enqueue(nats_subjects::signal(config_.prefix, signal.symbol),
          "signal|" + signal.source + "|" + signal.symbol + "|" + std::to_string(signal.time) + "|" +
              std::string(side_name(signal.side)));
}

void NatsPublisher::enqueue(std::string subject, std::string msg_id) {
  if (outbox_->push(OutboxRecord{std::move(subject), std::move(msg_id), buffer_})) return;
  const std::uint64_t lost = outbox_->overflow();
  if (worth_logging(lost))
    host_->error("nats: backlog full (" + std::to_string(config_.backlog) +
                 " closed candles and signals waiting for NATS); " + std::to_string(lost) + " lost so far");
}

void NatsPublisher::stop() {
  if (!outbox_) return;
  const std::size_t left = outbox_->drain(std::chrono::milliseconds(config_.drain_timeout_ms));
  unsent_at_stop_ = left;
  if (left > 0)
    host_->error("nats: " + std::to_string(left) +
                 " closed candles and signals not stored in the stream at stop");
  release();
}

void NatsPublisher::release() {
  if (outbox_) outbox_->stop();
  if (nc_) natsConnection_FlushTimeout(nc_, 1000);
  if (js_) jsCtx_Destroy(js_);
  js_ = nullptr;
  if (nc_) {
    natsConnection_Close(nc_);
    natsConnection_Destroy(nc_);
  }
  nc_ = nullptr;
  connected_ = false;
}

void NatsPublisher::metrics(Metrics& m) const {
  m.gauge("connected", "1 while connected to a NATS server", connected() ? 1 : 0);
  m.counter("reconnects", "Connections to NATS re-established", static_cast<double>(reconnects_.load()));
  if (outbox_) {
    m.gauge("backlog", "Closed candles and signals not yet stored in the stream",
            static_cast<double>(outbox_->backlog()));
    m.gauge("acks_pending", "JetStream publishes awaiting their ack",
            static_cast<double>(outbox_->in_flight()));
    m.counter("stored", "Closed candles and signals acknowledged by the stream",
              static_cast<double>(outbox_->stored()));
    m.counter("duplicates", "Publishes the stream already had (same message id)",
              static_cast<double>(outbox_->duplicates()));
    m.counter("resends", "Publishes sent again after a failed or missing ack",
              static_cast<double>(outbox_->resends()));
    m.counter("publish_errors", "JetStream publishes that failed (then retried)",
              static_cast<double>(outbox_->errors()));
    m.loss("backlog_overflow", "Closed candles and signals lost to a full backlog",
           static_cast<double>(outbox_->overflow()));
  }
  m.counter("published", "Ticks and candle updates published on core NATS",
            static_cast<double>(core_published_.load()));
  m.counter("dropped", "Ticks and candle updates dropped while NATS was unreachable",
            static_cast<double>(core_dropped_.load()));
  m.counter("partial_skipped", "Partial closed candles not published (publish.partial: false)",
            static_cast<double>(partial_skipped_.load()));
  m.loss("unsent_at_stop", "Closed candles and signals still unsent when the observer stopped",
         static_cast<double>(unsent_at_stop_.load()));
}

}  // namespace tickd::nats_out
