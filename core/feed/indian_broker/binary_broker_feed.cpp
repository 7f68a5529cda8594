#include "feed/indian_broker/binary_broker_feed.hpp"

#include "feed/connection/connection_options.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace tickd::core {

namespace {
// Frames held back while the outage is backfilled; beyond this (REST far
// slower than the stream) the backfill is given up rather than memory.
constexpr std::size_t kMaxPending = 500000;
constexpr auto kTokenPoll = std::chrono::seconds(1);

HttpOptions http_options(const BrokerConnectionConfig& c) {
  HttpOptions o;
  o.ca_file = c.ca_file;
  o.verify = c.verify;
  return o;
}
}  // namespace

BinaryBrokerFeed::BinaryBrokerFeed(Settings settings, boost::asio::io_context& io)
    : settings_(std::move(settings)),
      io_(io),
      counters_(settings_.name),
      http_(io, http_options(settings_.connection)),
      token_timer_(io) {}

BinaryBrokerFeed::~BinaryBrokerFeed() = default;

void BinaryBrokerFeed::init(std::unique_ptr<HistoryApi> api, std::vector<HistoryInstrument> instruments,
                            WsConnectionOptions options) {
  api_ = std::move(api);
  instruments_ = std::move(instruments);
  plan_ = plan_history(settings_.intervals, api_->served_seconds());
  loader_ = std::make_unique<HistoryLoader>(io_, http_, *api_);
  if (!plan_.skipped.empty() && settings_.history.bootstrap_candles > 0) {
    std::string names;
    for (Interval iv : plan_.skipped) names += (names.empty() ? "" : ", ") + std::string(iv.name());
    spdlog::info("{}: no history for {} (the broker has no candles that small); they fill from live ticks",
                 settings_.name, names);
  }
  WsConnection::Handlers handlers;
  handlers.on_open = [this] { on_open(); };
  handlers.on_message = [this](std::string_view payload, bool binary) { on_message(payload, binary); };
  handlers.on_lost = [this] { on_lost(); };
  connection_ = std::make_unique<WsConnection>(io_, std::move(options), std::move(handlers));
}

void BinaryBrokerFeed::use_instrument_master(InstrumentMasterInfo info,
                                             std::unique_ptr<MasterRefresher> refresher) {
  master_info_ = std::move(info);
  master_refresher_ = std::move(refresher);
}

void BinaryBrokerFeed::start(FeedSink& sink) {
  sink_ = &sink;
  if (master_refresher_) master_refresher_->start();
  if (has_token_files()) poll_token_files();
  bootstrap(true);
}

void BinaryBrokerFeed::bootstrap(bool then_connect) {
  const std::uint32_t n = settings_.history.bootstrap_candles;
  if (n == 0 || plan_.series.empty() || instruments_.empty()) {
    if (then_connect) connect();
    return;
  }
  if (then_connect) phase_ = Phase::bootstrapping;
  spdlog::info("{}: loading up to {} candles for {} series from {}", settings_.name, n,
               plan_.series.size() * instruments_.size(), settings_.history.rest_url);
  auto waiting = std::make_shared<std::size_t>(plan_.series.size() * instruments_.size());
  for (const auto& in : instruments_)
    for (const auto& series : plan_.series)
      load_series(in, series, [this, waiting, then_connect] {
        if (--*waiting > 0 || phase_ == Phase::stopped) return;
        spdlog::info("{}: history loaded ({} requests, {} answered 429)", settings_.name, loader_->requests(),
                     loader_->rate_limited());
        if (then_connect) connect();
      });
}

void BinaryBrokerFeed::load_series(const HistoryInstrument& in, const HistorySeries& series,
                                   std::function<void()> done) {
  const Interval iv = series.interval;
  const TimeMs now = wall_clock_ms();
  const TimeMs restored_until = sink_->history_end(in.id, iv);
  auto finish = [this, in, series, iv, now, restored_until, done = std::move(done)](
                    std::vector<CandleData> closed, std::string error, HistoryError kind) {
    if (phase_ == Phase::stopped) return;
    if (kind == HistoryError::auth)
      rest_refused(error);
    else if (!error.empty())
      spdlog::warn("{}: history for {} {} not loaded: {}", settings_.name, in.symbol, iv.name(), error);
    if (series.fetch_s != iv.seconds()) {
      const BucketClock clock(iv, settings_.session);
      const TimeMs from = restored_until > 0 ? restored_until
                          : closed.empty()   ? now
                                             : closed.front().open_time;
      closed = roll_up(closed, clock, from, now);
    }
    // Day candles are stamped at the broker's midnight; the aggregator's day
    // may begin at the session open: each goes to the bucket it lies in.
    if (iv.is_calendar()) {
      const BucketClock clock(iv, settings_.session);
      for (CandleData& c : closed) c.open_time = clock.bucket_at(c.open_time + iv.length_ms() / 2).start;
    }
    std::vector<CandleData> fresh;
    for (const CandleData& c : closed)
      if (c.open_time >= restored_until && (fresh.empty() || c.open_time > fresh.back().open_time))
        fresh.push_back(c);
    // Once live ticks have begun (history loaded late, after a renewed
    // token), older candles can no longer be put in front of them.
    if (!fresh.empty() && event_ms_ == 0) sink_->on_history_candles(in.id, iv, fresh);
    done();
  };
  if (restored_until > 0) {
    loader_->load_range(in, series.fetch_s, restored_until, now, std::move(finish));
  } else {
    const std::uint32_t per = static_cast<std::uint32_t>(iv.seconds() / series.fetch_s);
    loader_->load_latest(in, series.fetch_s, settings_.history.bootstrap_candles * per, now,
                         std::move(finish));
  }
}

void BinaryBrokerFeed::connect() {
  if (phase_ == Phase::stopped) return;
  phase_ = Phase::connecting;
  connection_->start();
}

void BinaryBrokerFeed::on_open() {
  auth_refused_ = false;
  subscribe();
  const bool backfill =
      connected_once_ && settings_.history.backfill && plan_.backfill_s > 0 && outage_from_ > 0;
  connected_once_ = true;
  if (!backfill) {
    phase_ = Phase::live;
    return;
  }
  phase_ = Phase::backfilling;
  holding_ = true;
  backfill_requested_ = false;
}

void BinaryBrokerFeed::on_lost() {
  reset_decoder();
  if (holding_) {
    // Lost again before the gap was filled: the outage simply grows.
    ++backfill_generation_;
    loader_->cancel();
    holding_ = false;
    pending_.clear();
    backfill_.clear();
  } else if (event_ms_ > 0) {
    outage_from_ = event_ms_;
  }
  if (clock_running_) lost_at_ = std::chrono::steady_clock::now();
  clock_running_ = false;
  if (phase_ != Phase::stopped) phase_ = Phase::connecting;
}

void BinaryBrokerFeed::on_message(std::string_view payload, bool binary) {
  DecodeError error{"unknown"};
  if (decode(payload, binary, error) == DecodeResult::error) counters_.decode_error(error, payload);
}

void BinaryBrokerFeed::saw_event(TimeMs time) {
  if (time > event_ms_ || !clock_running_) {
    event_ms_ = std::max(event_ms_, time);
    event_at_ = std::chrono::steady_clock::now();
  }
  clock_running_ = true;
}

void BinaryBrokerFeed::on_tick(const TickData& tick) {
  if (holding_) {
    pending_.push_back(tick);
    // The first plausible event marks where the outage ends (not a far-future row).
    if (!backfill_requested_ && !sink_->implausible_time(tick.time)) start_backfill(tick.time);
    if (pending_.size() > kMaxPending) {
      spdlog::error("{}: backfill too slow ({} ticks waiting); continuing without it", settings_.name,
                    pending_.size());
      ++backfill_generation_;
      loader_->cancel();
      release_pending();
    }
    return;
  }
  if (!sink_->implausible_time(tick.time)) saw_event(tick.time);
  counters_.tick();
  sink_->on_tick(tick);
}

void BinaryBrokerFeed::start_backfill(TimeMs first_live) {
  backfill_requested_ = true;
  const TimeMs step = plan_.backfill_s * 1000LL;
  const TimeMs from = outage_from_ / step * step;  // the candle open at the loss is replaced whole
  const TimeMs until = first_live / step * step;   // the candle of the first new event is built live
  const std::uint64_t generation = ++backfill_generation_;
  if (until <= from) {
    finish_backfill(generation);
    return;
  }
  spdlog::info("{}: backfilling {} s candles from {} to {} (ms) over REST", settings_.name, plan_.backfill_s,
               from, until);
  backfill_waiting_ = instruments_.size();
  for (const auto& in : instruments_) {
    loader_->load_range(in, plan_.backfill_s, from, until,
                        [this, generation, symbol = in.symbol](std::vector<CandleData> closed,
                                                               std::string error, HistoryError kind) {
                          if (generation != backfill_generation_ || phase_ == Phase::stopped) return;
                          if (kind == HistoryError::auth)
                            rest_refused(error);
                          else if (!error.empty())
                            spdlog::warn("{}: backfill for {} incomplete: {}", settings_.name, symbol, error);
                          backfill_.insert(backfill_.end(), closed.begin(), closed.end());
                          if (--backfill_waiting_ == 0) finish_backfill(generation);
                        });
  }
}

void BinaryBrokerFeed::finish_backfill(std::uint64_t generation) {
  if (generation != backfill_generation_) return;
  std::stable_sort(backfill_.begin(), backfill_.end(),
                   [](const CandleData& a, const CandleData& b) { return a.open_time < b.open_time; });
  for (const CandleData& c : backfill_) sink_->on_backfill_candle(c);
  spdlog::info("{}: gap filled with {} closed candles; {} held-back ticks released", settings_.name,
               backfill_.size(), pending_.size());
  backfill_.clear();
  release_pending();
}

void BinaryBrokerFeed::release_pending() {
  holding_ = false;
  phase_ = Phase::live;
  std::deque<TickData> pending;
  pending.swap(pending_);
  TickBatch batch(*sink_);
  for (const TickData& t : pending) on_tick(t);
}

void BinaryBrokerFeed::rest_refused(const std::string& error) {
  if (!rest_refused_)
    spdlog::error(
        "{}: the historical API refused the credentials ({}); renew the token (token file, or the "
        "environment and a restart)",
        settings_.name, error);
  rest_refused_ = true;
  if (connection_->state() != ConnectionState::open) auth_refused_ = true;
}

void BinaryBrokerFeed::poll_token_files() {
  if (refresh_credentials(false)) apply_new_credentials();
  token_timer_.expires_after(kTokenPoll);
  token_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec && phase_ != Phase::stopped) poll_token_files();
  });
}

void BinaryBrokerFeed::reload_credentials() {
  if (phase_ == Phase::stopped || !has_token_files()) return;
  if (refresh_credentials(true))
    apply_new_credentials();
  else
    spdlog::info("{}: SIGHUP: the token files are unchanged", settings_.name);
}

void BinaryBrokerFeed::apply_new_credentials() {
  if (phase_ == Phase::starting) return;  // read before the first connection: nothing to renew
  spdlog::info("{}: new credentials from the token file; renewing the broker connection", settings_.name);
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  ws_target(url, headers);
  auth_refused_ = false;
  connection_->set_target(std::move(url), std::move(headers));
  // History refused earlier and nothing live yet: load it now (after what is
  // already there, so nothing doubles).
  if (rest_refused_ && event_ms_ == 0 && phase_ != Phase::bootstrapping) {
    rest_refused_ = false;
    bootstrap(false);
  }
  rest_refused_ = false;
}

void BinaryBrokerFeed::stop() {
  if (holding_ && sink_) {
    // Ticks held back for a backfill that will not finish: handed over
    // (Feed::stop), the stopped gate counts them.
    TickBatch batch(*sink_);
    for (const TickData& t : pending_) {
      counters_.tick();
      sink_->on_tick(t);
    }
  }
  holding_ = false;
  pending_.clear();
  phase_ = Phase::stopped;
  ++backfill_generation_;
  token_timer_.cancel();
  if (loader_) loader_->cancel();
  if (connection_) connection_->stop();
}

TimeMs BinaryBrokerFeed::now_ms() const {
  if (event_ms_ == 0) return wall_clock_ms();
  const auto until = clock_running_ ? std::chrono::steady_clock::now() : lost_at_;
  return event_ms_ + std::chrono::duration_cast<std::chrono::milliseconds>(until - event_at_).count();
}

FeedStats BinaryBrokerFeed::stats() const {
  static const char* names[] = {"starting", "bootstrapping", "connecting", "live", "backfilling", "stopped"};
  FeedStats s = counters_.stats(*connection_);
  s.instrument_master = master_refresher_ ? master_refresher_->info() : master_info_;
  const Phase phase = phase_.load();
  s.state = names[static_cast<int>(phase)];
  const ConnectionState cs = connection_->state();
  if (phase == Phase::stopped) return s;
  if (cs == ConnectionState::auth_failed || (auth_refused_ && cs != ConnectionState::open))
    s.state = "auth_failed";
  else if (phase == Phase::connecting && cs == ConnectionState::backoff)
    s.state = "backoff";
  return s;
}

}  // namespace tickd::core
