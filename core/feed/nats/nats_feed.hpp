// feed.kind: nats - an edge daemon's source: the candles another tickd (the
// ingest, with the `nats` observer) built, as if they were the exchange's own.
//
// Start-up: one ordered JetStream consumer per interval on
// <prefix>.closed.*.<interval>, from far enough back to cover the last
// aggregator.history candles of every series (or from where storage restored
// them). What it replays until it has caught up becomes history (series with
// no stored history) or is delivered as closed candles (series whose storage
// stopped earlier: they catch up). Then live: closed candles from the same
// consumers, open-candle updates (and ticks if wanted) from core NATS, all
// through FeedSink::on_exchange_candle, so nothing downstream knows where they
// came from. With `signals`, one more ordered consumer brings the signals other
// daemons published, from the feed's start on (not those of the past: an alert
// raised while this edge was down is not sent again), to the observers. Every series received is the source's
// own (on_exchange_series): never merged from smaller intervals, so it equals the ingest's bit for bit.
//
// Outages: the client reconnects forever (with jitter); after a reconnect, or
// when the server lost a consumer (the cluster node that held it died), every
// consumer is re-created from the stream sequence after the last message
// handled, and SeriesGate drops any repeat: each closed candle arrives once. A
// newer revision of a closed candle (the ingest's late-tick amendment) goes to
// FeedSink::on_amended_candle and replaces it, as on the ingest.
// Threads: the NATS client's callbacks only queue messages; all decoding and
// every call into the sink runs on the feed thread.
//
// Memory is bounded however far behind the edge starts: the queue between the
// client's threads and the feed thread holds at most kInboxLimit messages. A
// closed candle waits for room (the client's delivery thread blocks, and
// JetStream's flow control holds the rest of the stream on the server); an
// update or tick that finds the queue full is dropped and counted.
// The client-thread side is in nats_feed_subscriptions.cpp.
#pragma once

#include "config/config.hpp"
#include "feed/feed.hpp"
#include "feed/nats/nats_message_decoder.hpp"
#include "feed/nats/series_gate.hpp"
#include "model/symbol_table.hpp"

#include <tickd/log_throttle.hpp>

#include <nats/nats.h>

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace tickd::core {

class NatsFeed : public Feed {
 public:
  // `intervals`: the aggregator's; `history`: aggregator.history.
  NatsFeed(const FeedConfig& config, const std::vector<Interval>& intervals, std::uint32_t history,
           boost::asio::io_context& io, SymbolTable& symbols);
  ~NatsFeed() override;

  void start(FeedSink& sink) override;
  void stop() override;
  FeedStats stats() const override;

  static constexpr std::size_t kInboxLimit = 8192;
  // Messages waiting for the feed thread (tests).
  std::size_t inbox_size() const;

 private:
  enum class Phase { connecting, restoring, live, stopped };
  enum class Kind : std::uint8_t { closed, update, tick, signal, caught_up };
  struct Inbound {
    Kind kind;
    std::uint32_t consumer;
    natsMsg* msg;
  };
  struct Consumer {
    NatsFeed* feed = nullptr;
    std::uint32_t index = 0;
    Interval interval;
    std::string subject;
    natsSubscription* sub = nullptr;
    // The subscription being replaced while its successor starts: what it
    // still delivers is dropped, or a newer candle from it could overtake the
    // successor's replay and make the gate take those for repeats.
    std::atomic<natsSubscription*> retired{nullptr};
    bool caught_up = false;                  // feed thread
    std::atomic<std::uint64_t> last_seq{0};  // stream sequence of the last message handled
    std::atomic<std::uint64_t> pending{0};   // messages of its subject still to come
    // Subscriber thread: what the last liveness checks saw (consumer_lost()).
    std::uint64_t checked_seq = 0;
    int stalled_checks = 0;
    int failed_checks = 0;
  };
  struct Series {
    explicit Series(TimeMs length_ms) : gate(length_ms) {}
    SeriesGate gate;
    std::deque<CandleData> history;  // collected while restoring
    bool restored = false;           // storage had history: catch up live instead
  };
  struct Held {
    std::uint64_t key;
    std::uint32_t revision;
    CandleData candle;
  };

  // Client library threads.
  static void on_connected(natsConnection* nc, void* closure);
  static void on_disconnected(natsConnection* nc, void* closure);
  static void on_closed_message(natsConnection* nc, natsSubscription* sub, natsMsg* msg, void* closure);
  static void on_update_message(natsConnection* nc, natsSubscription* sub, natsMsg* msg, void* closure);
  static void on_tick_message(natsConnection* nc, natsSubscription* sub, natsMsg* msg, void* closure);
  static void on_signal_message(natsConnection* nc, natsSubscription* sub, natsMsg* msg, void* closure);
  void enqueue(Inbound in);
  void subscriber_loop();
  bool subscribe_all();
  bool subscribe_consumer(Consumer& c);
  void resubscribe_consumers();
  std::vector<Consumer*> all_consumers();  // the closed-candle consumers and the signal one
  // A consumer the server no longer has (its node died with it): asked every
  // second, because the client library does not always re-create it.
  bool consumer_lost();

  // Feed thread.
  void drain();
  void handle_closed(Consumer& consumer, natsMsg* msg);
  void handle_update(natsMsg* msg);
  void handle_tick(natsMsg* msg);
  void handle_signal(natsMsg* msg);
  void caught_up(Consumer& consumer);
  void go_live();
  // `revision`: of the candle's message id; a newer revision of a bucket
  // already closed is the source's amendment (a late tick) and replaces it.
  void pass_closed(Series& series, const CandleData& candle, std::uint32_t revision);
  void collect_history(Series& series, const CandleData& candle, std::uint32_t revision);
  Series& series(const CandleData& candle, std::uint64_t& key);
  void bad_message(natsMsg* msg, const std::string& error);
  TimeMs start_time_ms(Interval interval);

  NatsFeedConfig config_;
  std::vector<std::string> symbol_names_;
  std::vector<Interval> intervals_;
  std::uint32_t history_;
  boost::asio::io_context& io_;
  SymbolTable& symbols_;
  NatsMessageDecoder decoder_;
  FeedSink* sink_ = nullptr;
  std::vector<std::unique_ptr<Consumer>> consumers_;  // one per interval: closed candles
  std::unique_ptr<Consumer> signal_consumer_;         // config_.signals: <prefix>.signal.*
  std::vector<TimeMs> start_ms_;                      // per consumer, computed on the feed thread at start
  std::unordered_map<std::uint64_t, Series> series_;
  std::unordered_set<SymbolId> owned_symbols_;  // on_exchange_series sent for every interval
  std::vector<Held> held_;                      // closed candles of caught-up consumers while others restore
  LogThrottle bad_log_;

  natsConnection* nc_ = nullptr;
  jsCtx* js_ = nullptr;
  std::vector<natsSubscription*> core_subs_;
  std::thread subscriber_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable room_;  // the inbox is below kInboxLimit again
  std::vector<Inbound> inbox_;
  bool drain_posted_ = false;
  bool stopping_ = false;
  bool subscribed_ = false;
  bool resubscribe_ = false;  // reconnected: consumers resume from their last sequence

  std::atomic<Phase> phase_{Phase::connecting};
  std::atomic<bool> connected_{false};
  std::atomic<std::uint64_t> messages_{0}, ticks_{0}, decode_errors_{0}, reconnects_{0}, closed_{0},
      duplicates_{0}, updates_{0}, updates_held_{0}, dropped_{0}, position_{0};
  std::atomic<TimeMs> last_message_ms_{0}, lag_since_ms_{0};
};

}  // namespace tickd::core
