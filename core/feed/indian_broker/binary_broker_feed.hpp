// The skeleton the Indian brokers' feeds (Kite, SmartAPI) share: WebSockets
// of binary snapshots plus the broker's historical REST API.
//
// The instruments are spread over as few connections as the broker's
// per-connection limit allows (shards, broker_shard.hpp; at most
// max_connections). Life: bootstrap (the last bootstrap_candles closed candles
// of every series over REST, after what a storage plugin restored) -> connect
// every shard -> live. After a lost connection only that shard backs off,
// reconnects, resubscribes its instruments and holds its frames back until its
// instruments' missed candles came over REST - nothing missing, nothing
// doubled (as BinanceFeed does, with the same OutageBackfill).
//
// After each daily instrument master refresh, an instrument named in
// feed.symbols whose contract expired is unsubscribed from its shard, logged
// once and counted (instruments_expired).
//
// Credentials kept in token files are re-read when a file changes (polled
// every second) or on SIGHUP; only the broker connection is renewed. A refusal
// (HTTP 401/403 on the upgrade or over REST) is reported once and shows as
// feed state auth_failed until a new token works.
//
// The feed's clock (now_ms, EventClock) is the newest event time plus the wall
// time since it arrived, frozen while any shard is down, so that nothing
// closes (or gap-fills) for want of data that the backfill is about to bring.
#pragma once

#include "config/config.hpp"
#include "feed/connection/event_clock.hpp"
#include "feed/connection/http_fetcher.hpp"
#include "feed/connection/ws_connection.hpp"
#include "feed/decoding/broker_counters.hpp"
#include "feed/feed.hpp"
#include "feed/indian_broker/broker_shard.hpp"
#include "feed/indian_broker/history_loader.hpp"
#include "feed/indian_broker/history_plan.hpp"
#include "feed/indian_broker/master_refresher.hpp"
#include "feed/indian_broker/token_file.hpp"

#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace tickd::core {

class BinaryBrokerFeed : public Feed, private BrokerShard::Host {
 public:
  struct Settings {
    std::string name;  // "kite", "smartapi": log lines
    BrokerConnectionConfig connection;
    BrokerHistoryConfig history;
    BrokerShardingConfig sharding;
    std::vector<Interval> intervals;  // the aggregator's
    SessionConfig session;            // the aggregator's: roll-ups use its buckets
  };
  BinaryBrokerFeed(Settings settings, boost::asio::io_context& io);
  ~BinaryBrokerFeed() override;

  void start(FeedSink& sink) override;
  void stop() override;
  FeedStats stats() const override;
  TimeMs now_ms() const override;
  void reload_credentials() override;

  // Names of feed.symbols resolved through the instrument master: shown in
  // stats(); `refresher` (may be null: a local instruments_csv) downloads it
  // again each day once started.
  void use_instrument_master(InstrumentMasterInfo info, std::unique_ptr<MasterRefresher> refresher);

 protected:
  // Called once by the derived constructor: plans the shards (throws
  // std::runtime_error when the instruments need more than max_connections).
  void init(std::unique_ptr<HistoryApi> api, std::vector<HistoryInstrument> instruments,
            WsConnectionOptions options);

  // The subscription and decoder of the `count` instruments from `first` (in
  // init's order) that one shard carries.
  virtual std::unique_ptr<ShardProtocol> shard_protocol(std::size_t first, std::size_t count) = 0;
  // Re-reads the token files (all when `force`); true when a token changed,
  // after which the URL and headers are taken again from ws_target() and the
  // history API is up to date.
  virtual bool refresh_credentials(bool force) { return (void)force, false; }
  virtual bool has_token_files() const { return false; }
  virtual void ws_target(std::string& url, std::vector<std::pair<std::string, std::string>>& headers) const {
    (void)url, (void)headers;
  }

 private:
  enum class Phase { starting, bootstrapping, running, stopped };

  // BrokerShard::Host
  FeedSink& sink() override { return *sink_; }
  EventClock& clock() override { return clock_; }
  BrokerCounters& counters() override { return counters_; }
  std::int64_t backfill_step_ms() const override;
  void load_backfill(const HistoryInstrument& instrument, TimeMs from, TimeMs until,
                     std::function<void(std::vector<CandleData>)> done) override;

  void bootstrap(bool then_connect);
  void load_series(const HistoryInstrument& in, const HistorySeries& series, std::function<void()> done);
  void connect();
  void rest_refused(const std::string& error);
  void upkeep();  // every second: token files, expired contracts
  void apply_new_credentials();
  void drop_expired();

  Settings settings_;
  boost::asio::io_context& io_;
  HistoryPlan plan_;
  std::vector<HistoryInstrument> instruments_;
  BrokerCounters counters_;
  HttpFetcher http_;
  std::unique_ptr<HistoryApi> api_;
  std::unique_ptr<HistoryLoader> loader_;
  std::vector<std::unique_ptr<BrokerShard>> shards_;
  boost::asio::steady_timer upkeep_timer_;
  FeedSink* sink_ = nullptr;
  EventClock clock_;           // io thread only
  bool rest_refused_ = false;  // the historical API refused the token (said once)

  InstrumentMasterInfo master_info_;
  std::unique_ptr<MasterRefresher> master_refresher_;
  std::size_t expired_seen_ = 0;  // master_refresher_->expired() entries handled

  std::atomic<Phase> phase_{Phase::starting};
  std::atomic<bool> auth_refused_{false};  // REST said so and a connection is not open
  std::atomic<std::uint64_t> instruments_expired_{0};
};

}  // namespace tickd::core
