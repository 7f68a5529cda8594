#include "feed/binance/binance_feed.hpp"

#include "feed/binance/binance_interval.hpp"
#include "feed/binance/binance_streams.hpp"
#include "feed/connection/connection_options.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

namespace tickd::core {

namespace {
// Frames held back while the outage is backfilled; beyond this (REST far
// slower than the stream) the backfill is given up rather than memory.
constexpr std::size_t kMaxPending = 500000;

HttpOptions http_options(const BinanceConfig& c) {
  HttpOptions o;
  o.ca_file = c.connection.ca_file;
  o.verify = c.connection.verify;
  return o;
}
}  // namespace

BinanceFeed::BinanceFeed(const FeedConfig& config, const std::vector<Interval>& intervals,
                         boost::asio::io_context& io, SymbolTable& symbols)
    : config_(config),
      intervals_(intervals),
      decoder_(symbols),
      http_(io, http_options(config.binance)),
      klines_(http_, config.binance.rest_url) {
  for (const auto& name : config.symbols) {
    auto id = symbols.intern(name);
    if (!id) throw std::runtime_error("binance: symbol table full");
    symbol_ids_.emplace_back(name, *id);
  }
  stream_names_ = binance_stream_names(config.symbols, config.binance.streams);
  for (Interval iv : intervals_)
    if (iv.seconds() >= 60 && binance_interval_seconds(iv.name())) {
      backfill_interval_s_ = static_cast<std::int32_t>(iv.seconds());
      break;
    }
  for (std::int32_t s : binance_kline_seconds(config.binance.streams))
    if (std::none_of(intervals_.begin(), intervals_.end(), [&](Interval iv) { return iv.seconds() == s; }))
      spdlog::warn(
          "binance: kline stream of {} s is not one of aggregator.intervals; its candles are ignored", s);
  WsConnection::Handlers handlers;
  handlers.on_open = [this] { on_open(); };
  handlers.on_message = [this](std::string_view payload, bool binary) { on_message(payload, binary); };
  handlers.on_lost = [this] { on_lost(); };
  WsConnectionOptions options = connection_options("binance", config.binance.connection);
  options.url = binance_connect_url(config.binance, stream_names_);
  connection_ = std::make_unique<WsConnection>(io, std::move(options), std::move(handlers));
}

BinanceFeed::~BinanceFeed() = default;

void BinanceFeed::start(FeedSink& sink) {
  sink_ = &sink;
  bootstrap();
}

void BinanceFeed::bootstrap() {
  const std::uint32_t n = config_.binance.bootstrap_klines;
  std::vector<KlineRequest> requests;
  for (const auto& [name, id] : symbol_ids_)
    for (Interval iv : intervals_) {
      if (n == 0 || !binance_interval_seconds(iv.name())) continue;
      KlineRequest r;
      r.symbol = name;
      r.id = id;
      r.interval_s = static_cast<std::int32_t>(iv.seconds());
      const TimeMs restored_until = sink_->history_end(id, iv);
      r.start = restored_until > 0 ? restored_until : -1;
      r.limit = static_cast<int>(n);
      requests.push_back(r);
    }
  if (requests.empty()) {
    connect();
    return;
  }
  phase_ = Phase::bootstrapping;
  spdlog::info("binance: loading up to {} klines for {} series from {}", n, requests.size(),
               config_.binance.rest_url);
  auto waiting = std::make_shared<std::size_t>(requests.size());
  auto loaded = std::make_shared<std::size_t>(0);
  for (const auto& r : requests) {
    const Interval iv = *Interval::from_seconds(r.interval_s);
    klines_.load(r, [this, r, iv, waiting, loaded](std::vector<CandleData> closed, std::string error) {
      if (phase_ == Phase::stopped) return;
      if (!error.empty())
        spdlog::warn("binance: history for {} {} not loaded: {}", r.symbol, iv.name(), error);
      if (!closed.empty()) sink_->on_history_candles(r.id, iv, closed);
      *loaded += closed.size();
      if (--*waiting == 0) {
        spdlog::info("binance: {} klines loaded into history", *loaded);
        connect();
      }
    });
  }
}

void BinanceFeed::connect() {
  if (phase_ == Phase::stopped) return;
  phase_ = Phase::connecting;
  connection_->start();
}

void BinanceFeed::on_open() {
  if (config_.binance.subscribe_mode == BinanceSubscribeMode::message)
    connection_->send_text(binance_subscribe_message(stream_names_, ++subscribe_id_));
  const bool backfill =
      connected_once_ && config_.binance.backfill && backfill_interval_s_ > 0 && outage_from_ > 0;
  connected_once_ = true;
  if (!backfill) {
    phase_ = Phase::live;
    return;
  }
  phase_ = Phase::backfilling;
  holding_ = true;
  backfill_requested_ = false;
}

void BinanceFeed::on_lost() {
  if (holding_) {
    // Lost again before the gap was filled: the outage simply grows.
    ++backfill_generation_;
    holding_ = false;
    pending_.clear();
    backfill_.clear();
  } else if (event_ms_ > 0) {
    outage_from_ = event_ms_;
  }
  if (clock_running_) lost_at_ = std::chrono::steady_clock::now();
  clock_running_ = false;
  phase_ = Phase::connecting;
}

void BinanceFeed::on_message(std::string_view payload, bool binary) {
  DecodeError error{"binary frame (Binance sends text)"};
  if (binary || decoder_.decode(payload, *this, error) == DecodeResult::error)
    counters_.decode_error(error, payload);
}

void BinanceFeed::saw_event(TimeMs time) {
  if (time > event_ms_ || !clock_running_) {
    event_ms_ = std::max(event_ms_, time);
    event_at_ = std::chrono::steady_clock::now();
  }
  clock_running_ = true;
}

void BinanceFeed::on_tick(const TickData& tick) {
  if (holding_) {
    pending_.push_back(Pending{false, tick, {}});
    // The first plausible event marks where the outage ends (not a far-future row).
    if (!backfill_requested_ && !sink_->implausible_time(tick.time)) start_backfill(tick.time);
    if (pending_.size() > kMaxPending) {
      spdlog::error("binance: backfill too slow ({} frames waiting); continuing without it", pending_.size());
      ++backfill_generation_;
      release_pending();
    }
    return;
  }
  if (!sink_->implausible_time(tick.time)) saw_event(tick.time);
  counters_.tick();
  sink_->on_tick(tick);
}

void BinanceFeed::on_exchange_candle(const CandleData& candle) {
  if (holding_) {
    pending_.push_back(Pending{true, {}, candle});
    if (!backfill_requested_ && !sink_->implausible_time(candle.open_time)) start_backfill(candle.open_time);
    return;
  }
  if (!sink_->implausible_time(candle.open_time)) saw_event(candle.open_time);
  sink_->on_exchange_candle(candle);
}

void BinanceFeed::on_notice(std::string_view text) { counters_.notice(text); }

void BinanceFeed::start_backfill(TimeMs first_live) {
  backfill_requested_ = true;
  const TimeMs step = backfill_interval_s_ * 1000LL;
  const TimeMs from = outage_from_ / step * step;  // the bucket open at the loss is replaced whole
  const TimeMs until = first_live / step * step;   // the bucket of the first new event is built live
  const std::uint64_t generation = ++backfill_generation_;
  if (until <= from) {
    finish_backfill(generation);
    return;
  }
  spdlog::info("binance: backfilling {} s klines from {} to {} (ms) over REST", backfill_interval_s_, from,
               until);
  backfill_waiting_ = symbol_ids_.size();
  for (const auto& [name, id] : symbol_ids_) {
    KlineRequest r{name, id, backfill_interval_s_, from, until, static_cast<int>((until - from) / step)};
    klines_.load(r, [this, generation, name = name](std::vector<CandleData> closed, std::string error) {
      if (generation != backfill_generation_ || phase_ == Phase::stopped) return;
      if (!error.empty()) spdlog::warn("binance: backfill for {} incomplete: {}", name, error);
      backfill_.insert(backfill_.end(), closed.begin(), closed.end());
      if (--backfill_waiting_ == 0) finish_backfill(generation);
    });
  }
}

void BinanceFeed::finish_backfill(std::uint64_t generation) {
  if (generation != backfill_generation_) return;
  for (const CandleData& c : backfill_) sink_->on_backfill_candle(c);
  if (!backfill_.empty())
    spdlog::info("binance: gap filled with {} closed candles; {} held-back frames released", backfill_.size(),
                 pending_.size());
  backfill_.clear();
  release_pending();
}

void BinanceFeed::release_pending() {
  holding_ = false;
  phase_ = Phase::live;
  std::deque<Pending> pending;
  pending.swap(pending_);
  for (const Pending& p : pending) {
    if (p.is_candle)
      on_exchange_candle(p.candle);
    else
      on_tick(p.tick);
  }
}

void BinanceFeed::stop() {
  if (holding_ && sink_) {
    // Frames held back for a backfill that will not finish: their ticks are
    // handed over (Feed::stop), the stopped gate counts them.
    TickBatch batch(*sink_);
    for (const Pending& p : pending_) {
      if (p.is_candle) continue;
      counters_.tick();
      sink_->on_tick(p.tick);
    }
  }
  holding_ = false;
  pending_.clear();
  phase_ = Phase::stopped;
  ++backfill_generation_;
  connection_->stop();
}

TimeMs BinanceFeed::now_ms() const {
  if (event_ms_ == 0) return wall_clock_ms();
  const auto until = clock_running_ ? std::chrono::steady_clock::now() : lost_at_;
  return event_ms_ + std::chrono::duration_cast<std::chrono::milliseconds>(until - event_at_).count();
}

FeedStats BinanceFeed::stats() const {
  static const char* names[] = {"starting", "bootstrapping", "connecting", "live", "backfilling", "stopped"};
  FeedStats s = counters_.stats(*connection_);
  const Phase phase = phase_.load();
  s.state = names[static_cast<int>(phase)];
  if (phase == Phase::connecting && connection_->state() == ConnectionState::backoff) s.state = "backoff";
  return s;
}

}  // namespace tickd::core
