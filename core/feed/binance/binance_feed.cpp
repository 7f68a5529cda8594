#include "feed/binance/binance_feed.hpp"

#include "feed/binance/binance_interval.hpp"
#include "feed/binance/binance_streams.hpp"
#include "feed/connection/connection_options.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

namespace tickd::core {

namespace {

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
      klines_(http_, config.binance.rest_url),
      backfill_("binance", {[this](TimeMs from, TimeMs until, std::uint64_t generation) {
                              return fetch_backfill(from, until, generation);
                            },
                            [this](const CandleData& c) { sink_->on_backfill_candle(c); },
                            [this](std::deque<Pending>& frames) { replay(frames); }}) {
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
  const bool backfill = config_.binance.backfill && backfill_interval_s_ > 0;
  phase_ = backfill_.opened(backfill ? backfill_interval_s_ * 1000LL : 0) ? Phase::backfilling : Phase::live;
}

void BinanceFeed::on_lost() {
  backfill_.lost(clock_.newest());
  if (!clock_paused_) clock_.pause();
  clock_paused_ = true;
  phase_ = Phase::connecting;
}

void BinanceFeed::on_message(std::string_view payload, bool binary) {
  DecodeError error{"binary frame (Binance sends text)"};
  if (binary || decoder_.decode(payload, *this, error) == DecodeResult::error)
    counters_.decode_error(error, payload);
}

void BinanceFeed::saw_event(TimeMs time) {
  if (clock_paused_) clock_.resume();
  clock_paused_ = false;
  clock_.saw(time);
}

void BinanceFeed::on_tick(const TickData& tick) {
  // A time the gate rejects (one far-future row) moves neither the clock nor
  // the end of an outage: every later outage would seem to begin in 2100.
  const TimeMs time = sink_->implausible_time(tick.time) ? 0 : tick.time;
  if (backfill_.hold(Pending{false, tick, {}}, time)) return;
  if (time > 0) saw_event(time);
  counters_.tick();
  sink_->on_tick(tick);
}

void BinanceFeed::on_exchange_candle(const CandleData& candle) {
  const TimeMs time = sink_->implausible_time(candle.open_time) ? 0 : candle.open_time;
  if (backfill_.hold(Pending{true, {}, candle}, time)) return;
  if (time > 0) saw_event(time);
  sink_->on_exchange_candle(candle);
}

void BinanceFeed::on_notice(std::string_view text) { counters_.notice(text); }

std::size_t BinanceFeed::fetch_backfill(TimeMs from, TimeMs until, std::uint64_t generation) {
  const TimeMs step = backfill_interval_s_ * 1000LL;
  for (const auto& [name, id] : symbol_ids_) {
    KlineRequest r{name, id, backfill_interval_s_, from, until, static_cast<int>((until - from) / step)};
    klines_.load(r, [this, generation, name = name](std::vector<CandleData> closed, std::string error) {
      if (!backfill_.current(generation) || phase_ == Phase::stopped) return;
      if (!error.empty()) spdlog::warn("binance: backfill for {} incomplete: {}", name, error);
      backfill_.arrived(generation, closed);
    });
  }
  return symbol_ids_.size();
}

void BinanceFeed::replay(std::deque<Pending>& frames) {
  phase_ = Phase::live;
  for (const Pending& p : frames) {
    if (p.is_candle)
      on_exchange_candle(p.candle);
    else
      on_tick(p.tick);
  }
}

void BinanceFeed::stop() {
  if (backfill_.holding() && sink_) {
    // Frames held back for a backfill that will not finish: their ticks are
    // handed over (Feed::stop), the stopped gate counts them.
    TickBatch batch(*sink_);
    for (const Pending& p : backfill_.held()) {
      if (p.is_candle) continue;
      counters_.tick();
      sink_->on_tick(p.tick);
    }
  }
  phase_ = Phase::stopped;
  backfill_.stop();
  connection_->stop();
}

TimeMs BinanceFeed::now_ms() const { return clock_.now_ms(); }

FeedStats BinanceFeed::stats() const {
  static const char* names[] = {"starting", "bootstrapping", "connecting", "live", "backfilling", "stopped"};
  FeedStats s = counters_.stats(*connection_);
  const Phase phase = phase_.load();
  s.state = names[static_cast<int>(phase)];
  if (phase == Phase::connecting && connection_->state() == ConnectionState::backoff) s.state = "backoff";
  return s;
}

}  // namespace tickd::core
