// The skeleton the Indian brokers' feeds (Kite, SmartAPI) share: one
// WebSocket of binary snapshots plus the broker's historical REST API.
//
// Life: bootstrap (the last bootstrap_candles closed candles of every series
// over REST, after what a storage plugin restored) -> connect -> live. After a
// lost connection: backoff -> reconnect -> the frames of the new connection
// are held back until the candles missed in between (from the one open at the
// loss up to the one of the first new event) came over REST and were fed as
// closed candles; then the held frames are released in order - nothing
// missing, nothing doubled (as BinanceFeed does).
//
// Credentials kept in token files are re-read when a file changes (polled
// every second) or on SIGHUP; only the broker connection is renewed. A refusal
// (HTTP 401/403 on the upgrade or over REST) is reported once and shows as
// feed state auth_failed until a new token works.
//
// The feed's clock (now_ms) is the newest event time plus the wall time since
// it arrived, frozen while the connection is down, so that nothing closes (or
// gap-fills) for want of data that the backfill is about to bring.
#pragma once

#include "config/config.hpp"
#include "feed/connection/http_fetcher.hpp"
#include "feed/connection/ws_connection.hpp"
#include "feed/decoding/broker_counters.hpp"
#include "feed/decoding/decode_result.hpp"
#include "feed/feed.hpp"
#include "feed/indian_broker/history_loader.hpp"
#include "feed/indian_broker/history_plan.hpp"
#include "feed/indian_broker/master_refresher.hpp"
#include "feed/indian_broker/token_file.hpp"

#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <vector>

namespace tickd::core {

class BinaryBrokerFeed : public Feed, protected DecodedSink {
 public:
  struct Settings {
    std::string name;  // "kite", "smartapi": log lines
    BrokerConnectionConfig connection;
    BrokerHistoryConfig history;
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
  // Called once by the derived constructor.
  void init(std::unique_ptr<HistoryApi> api, std::vector<HistoryInstrument> instruments,
            WsConnectionOptions options);
  WsConnection& connection() { return *connection_; }
  BrokerCounters& counters() { return counters_; }
  HistoryApi& history_api() { return *api_; }

  // Subscribe on every (re)connect.
  virtual void subscribe() = 0;
  // One frame into ticks (to this DecodedSink).
  virtual DecodeResult decode(std::string_view payload, bool binary, DecodeError& error) = 0;
  // After a loss: snapshots before it say nothing about volume during it.
  virtual void reset_decoder() = 0;
  // Re-reads the token files (all when `force`); true when a token changed,
  // after which the URL and headers are taken again from ws_target() and the
  // history API is up to date.
  virtual bool refresh_credentials(bool force) { return (void)force, false; }
  virtual bool has_token_files() const { return false; }
  virtual void ws_target(std::string& url, std::vector<std::pair<std::string, std::string>>& headers) const {
    (void)url, (void)headers;
  }

  // DecodedSink
  void on_tick(const TickData& tick) override;
  void on_exchange_candle(const CandleData&) override {}
  void on_notice(std::string_view text) override { counters_.notice(text); }

 private:
  enum class Phase { starting, bootstrapping, connecting, live, backfilling, stopped };

  void bootstrap(bool then_connect);
  void load_series(const HistoryInstrument& in, const HistorySeries& series, std::function<void()> done);
  void connect();
  void on_open();
  void on_lost();
  void on_message(std::string_view payload, bool binary);
  void saw_event(TimeMs time);
  void start_backfill(TimeMs first_live);
  void finish_backfill(std::uint64_t generation);
  void release_pending();
  void rest_refused(const std::string& error);
  void poll_token_files();
  void apply_new_credentials();

  Settings settings_;
  boost::asio::io_context& io_;
  HistoryPlan plan_;
  std::vector<HistoryInstrument> instruments_;
  BrokerCounters counters_;
  HttpFetcher http_;
  std::unique_ptr<HistoryApi> api_;
  std::unique_ptr<HistoryLoader> loader_;
  std::unique_ptr<WsConnection> connection_;
  boost::asio::steady_timer token_timer_;
  FeedSink* sink_ = nullptr;
  bool connected_once_ = false;
  bool rest_refused_ = false;  // the historical API refused the token (said once)

  // Event clock (io thread only).
  TimeMs event_ms_ = 0;
  std::chrono::steady_clock::time_point event_at_;
  std::chrono::steady_clock::time_point lost_at_;
  bool clock_running_ = false;

  // Outage backfill (io thread only).
  TimeMs outage_from_ = 0;
  bool holding_ = false;
  bool backfill_requested_ = false;
  std::uint64_t backfill_generation_ = 0;
  std::size_t backfill_waiting_ = 0;
  std::vector<CandleData> backfill_;
  std::deque<TickData> pending_;

  InstrumentMasterInfo master_info_;
  std::unique_ptr<MasterRefresher> master_refresher_;

  std::atomic<Phase> phase_{Phase::starting};
  std::atomic<bool> auth_refused_{false};  // REST said so and the connection is not open
};

}  // namespace tickd::core
