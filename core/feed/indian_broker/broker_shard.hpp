// One WebSocket connection of an Indian broker feed and the instruments it
// carries (a broker caps instruments per connection: shard_plan.hpp). Each
// shard subscribes its own instruments on every (re)connect, reconnects with
// the shared backoff (WsConnection), and after a loss holds its frames back
// until its own instruments' missed candles came over REST (OutageBackfill):
// a lost shard touches no other.
//
// Threading: the feed thread, except stats() (any thread).
#pragma once

#include "feed/connection/event_clock.hpp"
#include "feed/connection/outage_backfill.hpp"
#include "feed/connection/ws_connection.hpp"
#include "feed/decoding/broker_counters.hpp"
#include "feed/feed.hpp"
#include "feed/indian_broker/history_api.hpp"
#include "feed/indian_broker/shard_protocol.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tickd::core {

class BrokerShard : private DecodedSink {
 public:
  // What the shards of one feed share: the sink, the clock, the counters and
  // the REST history.
  class Host {
   public:
    virtual FeedSink& sink() = 0;
    virtual EventClock& clock() = 0;
    virtual BrokerCounters& counters() = 0;
    // The backfill candle length; 0 = no backfill.
    virtual std::int64_t backfill_step_ms() const = 0;
    // The closed candles of [from, until) at that step; `done` runs once on
    // the feed thread (empty on error, which the host reports).
    virtual void load_backfill(const HistoryInstrument& instrument, TimeMs from, TimeMs until,
                               std::function<void(std::vector<CandleData>)> done) = 0;

   protected:
    ~Host() = default;
  };

  BrokerShard(std::string name, Host& host, boost::asio::io_context& io, WsConnectionOptions options,
              std::unique_ptr<ShardProtocol> protocol, std::vector<HistoryInstrument> instruments);
  ~BrokerShard() override;

  void start() { connection_->start(); }
  void stop();
  // Ticks held back for a backfill that will not finish are handed to the
  // sink and counted (Feed::stop): before stop(), at the feed's stop only.
  void hand_over_held();
  // A renewed token: this connection is replaced at once.
  void set_target(std::string url, std::vector<std::pair<std::string, std::string>> headers) {
    connection_->set_target(std::move(url), std::move(headers));
  }
  // Unsubscribes `symbol` now and on every later reconnect; false when this
  // shard does not carry it.
  bool remove(SymbolId symbol);

  const std::string& name() const { return name_; }
  ConnectionState connection_state() const { return connection_->state(); }
  // Connections lost to an oversized frame or closed as stale.
  std::uint64_t protocol_errors() const { return connection_->protocol_errors(); }
  bool holding() const { return phase_.load() == Phase::backfilling; }
  // `refused`: the REST API refused the credentials (shown as auth_failed while not open).
  ConnectionStats stats(bool refused) const;

 private:
  enum class Phase { connecting, live, backfilling, stopped };

  void on_open();
  void on_lost();
  void on_message(std::string_view payload, bool binary);
  std::size_t fetch_backfill(TimeMs from, TimeMs until, std::uint64_t generation);
  void replay(std::deque<TickData>& ticks);

  // DecodedSink
  void on_tick(const TickData& tick) override;
  void on_exchange_candle(const CandleData&) override {}
  void on_notice(std::string_view text) override { host_.counters().notice(text); }

  std::string name_;
  Host& host_;
  std::unique_ptr<ShardProtocol> protocol_;
  std::vector<HistoryInstrument> instruments_;  // those subscribed
  OutageBackfill<TickData> backfill_;
  std::unique_ptr<WsConnection> connection_;
  TimeMs newest_ = 0;          // this shard's newest live event
  bool clock_paused_ = false;  // lost, and no live event since
  std::atomic<Phase> phase_{Phase::connecting};
  std::atomic<std::uint64_t> ticks_{0};
  std::atomic<std::uint64_t> instruments_count_{0};
};

}  // namespace tickd::core
