#include "feed/indian_broker/binary_broker_feed.hpp"

#include "feed/indian_broker/shard_plan.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

namespace tickd::core {

namespace {
constexpr auto kUpkeep = std::chrono::seconds(1);

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
      upkeep_timer_(io) {}

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
  const BrokerShardingConfig& sh = settings_.sharding;
  const std::vector<std::size_t> sizes =
      shard_sizes(instruments_.size(), sh.instruments_per_connection, sh.max_connections);
  if (sizes.empty())
    throw std::runtime_error(
        settings_.name + ": " + std::to_string(instruments_.size()) + " instruments need " +
        std::to_string(connections_needed(instruments_.size(), sh.instruments_per_connection)) +
        " connections of " + std::to_string(sh.instruments_per_connection) + ", more than max_connections (" +
        std::to_string(sh.max_connections) + ")");
  BrokerShard::Host& host = *this;
  std::size_t first = 0;
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    const std::string name =
        sizes.size() == 1 ? settings_.name : settings_.name + "#" + std::to_string(k + 1);
    std::vector<HistoryInstrument> mine(instruments_.begin() + static_cast<std::ptrdiff_t>(first),
                                        instruments_.begin() + static_cast<std::ptrdiff_t>(first + sizes[k]));
    shards_.push_back(std::make_unique<BrokerShard>(name, host, io_, options, shard_protocol(first, sizes[k]),
                                                    std::move(mine)));
    first += sizes[k];
  }
  if (sizes.size() > 1)
    spdlog::info("{}: {} instruments over {} connections", settings_.name, instruments_.size(), sizes.size());
}

void BinaryBrokerFeed::use_instrument_master(InstrumentMasterInfo info,
                                             std::unique_ptr<MasterRefresher> refresher) {
  master_info_ = std::move(info);
  master_refresher_ = std::move(refresher);
}

void BinaryBrokerFeed::start(FeedSink& sink) {
  sink_ = &sink;
  if (master_refresher_) master_refresher_->start();
  upkeep();
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
    if (!fresh.empty() && clock_.newest() == 0) sink_->on_history_candles(in.id, iv, fresh);
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
  phase_ = Phase::running;
  for (auto& shard : shards_) shard->start();
}

std::int64_t BinaryBrokerFeed::backfill_step_ms() const {
  return settings_.history.backfill ? plan_.backfill_s * 1000LL : 0;
}

void BinaryBrokerFeed::load_backfill(const HistoryInstrument& instrument, TimeMs from, TimeMs until,
                                     std::function<void(std::vector<CandleData>)> done) {
  loader_->load_range(instrument, plan_.backfill_s, from, until,
                      [this, symbol = instrument.symbol, done = std::move(done)](
                          std::vector<CandleData> closed, std::string error, HistoryError kind) {
                        if (phase_ == Phase::stopped) return;
                        if (kind == HistoryError::auth)
                          rest_refused(error);
                        else if (!error.empty())
                          spdlog::warn("{}: backfill for {} incomplete: {}", settings_.name, symbol, error);
                        done(std::move(closed));
                      });
}

void BinaryBrokerFeed::rest_refused(const std::string& error) {
  if (!rest_refused_)
    spdlog::error(
        "{}: the historical API refused the credentials ({}); renew the token (token file, or the "
        "environment and a restart)",
        settings_.name, error);
  rest_refused_ = true;
  for (const auto& shard : shards_)
    if (shard->connection_state() != ConnectionState::open) auth_refused_ = true;
}

void BinaryBrokerFeed::upkeep() {
  if (has_token_files() && refresh_credentials(false)) apply_new_credentials();
  drop_expired();
  upkeep_timer_.expires_after(kUpkeep);
  upkeep_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec && phase_ != Phase::stopped) upkeep();
  });
}

void BinaryBrokerFeed::drop_expired() {
  if (!master_refresher_) return;
  const std::vector<std::string> expired = master_refresher_->expired();
  for (; expired_seen_ < expired.size(); ++expired_seen_) {
    const std::string& name = expired[expired_seen_];
    for (const auto& in : instruments_) {
      if (in.symbol != name) continue;
      for (auto& shard : shards_)
        if (shard->remove(in.id)) {
          instruments_expired_.fetch_add(1, std::memory_order_relaxed);
          spdlog::warn("{}: '{}' expired; unsubscribed from {} (name a live contract in feed.symbols)",
                       settings_.name, name, shard->name());
        }
    }
  }
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
  for (auto& shard : shards_) shard->set_target(url, headers);
  // History refused earlier and nothing live yet: load it now (after what is
  // already there, so nothing doubles).
  if (rest_refused_ && clock_.newest() == 0 && phase_ != Phase::bootstrapping) {
    rest_refused_ = false;
    bootstrap(false);
  }
  rest_refused_ = false;
}

void BinaryBrokerFeed::stop() {
  phase_ = Phase::stopped;
  upkeep_timer_.cancel();
  if (loader_) loader_->cancel();
  for (auto& shard : shards_) {
    shard->hand_over_held();
    shard->stop();
  }
}

TimeMs BinaryBrokerFeed::now_ms() const { return clock_.now_ms(); }

FeedStats BinaryBrokerFeed::stats() const {
  FeedStats s;
  s.ticks = counters_.ticks();
  s.decode_errors = counters_.decode_errors();
  s.instrument_master = master_refresher_ ? master_refresher_->info() : master_info_;
  s.instruments_expired = instruments_expired_.load(std::memory_order_relaxed);
  const bool refused = auth_refused_.load();
  for (const auto& shard : shards_) {
    ConnectionStats c = shard->stats(refused);
    s.messages += c.messages;
    s.reconnects += c.reconnects;
    s.last_message_ms = std::max(s.last_message_ms, c.last_message_ms);
    s.decode_errors += shard->protocol_errors();
    s.connections.push_back(std::move(c));
  }
  const Phase phase = phase_.load();
  if (phase != Phase::running) {
    static const char* names[] = {"starting", "bootstrapping", "running", "stopped"};
    s.state = names[static_cast<int>(phase)];
    return s;
  }
  // The worst connection speaks for the feed; each one is in `connections`.
  auto any = [&](const char* state) {
    return std::any_of(s.connections.begin(), s.connections.end(),
                       [&](const ConnectionStats& c) { return c.state == state; });
  };
  s.state = "live";
  for (const char* state : {"auth_failed", "backoff", "connecting", "backfilling"})
    if (any(state)) {
      s.state = state;
      break;
    }
  return s;
}

}  // namespace tickd::core
