// Binance spot: WebSocket streams (trade, aggTrade, kline_<interval>) for the
// configured symbols, REST klines for start-up history and for the gap an
// outage leaves.
//
// Life: bootstrap (REST, into history only) -> connect -> live. After a lost
// connection: backoff -> reconnect -> the frames of the new connection are
// held back until the missed 1m klines (from the last event before the loss
// up to the minute of the first event after it) have been fed as closed
// candles, then released in order - so no closed candle is missing or doubled.
//
// The feed's clock (now_ms) is the exchange's: the newest event time plus the
// wall time since it arrived, frozen while the connection is down, so that
// candles do not close (or gap-fill) for want of data we have not received yet.
#pragma once

#include "config/config.hpp"
#include "feed/binance/binance_decoder.hpp"
#include "feed/binance/binance_kline_loader.hpp"
#include "feed/connection/event_clock.hpp"
#include "feed/connection/http_fetcher.hpp"
#include "feed/connection/outage_backfill.hpp"
#include "feed/connection/ws_connection.hpp"
#include "feed/decoding/broker_counters.hpp"
#include "feed/feed.hpp"

#include <atomic>
#include <deque>
#include <memory>
#include <vector>

namespace tickd::core {

class BinanceFeed : public Feed, private DecodedSink {
 public:
  // `intervals`: the aggregator's; bootstrap loads each one Binance has, and
  // backfill uses the smallest of them from 1m up.
  BinanceFeed(const FeedConfig& config, const std::vector<Interval>& intervals, boost::asio::io_context& io,
              SymbolTable& symbols);
  ~BinanceFeed() override;

  void start(FeedSink& sink) override;
  void stop() override;
  FeedStats stats() const override;
  TimeMs now_ms() const override;

 private:
  enum class Phase { starting, bootstrapping, connecting, live, backfilling, stopped };
  struct Pending {
    bool is_candle;
    TickData tick;
    CandleData candle;
  };

  // DecodedSink (from the decoder, on the io thread)
  void on_tick(const TickData& tick) override;
  void on_exchange_candle(const CandleData& candle) override;
  void on_notice(std::string_view text) override;

  void bootstrap();
  void connect();
  void on_open();
  void on_lost();
  void on_message(std::string_view payload, bool binary);
  void saw_event(TimeMs time);
  std::size_t fetch_backfill(TimeMs from, TimeMs until, std::uint64_t generation);
  void replay(std::deque<Pending>& frames);

  FeedConfig config_;
  std::vector<Interval> intervals_;
  std::vector<std::pair<std::string, SymbolId>> symbol_ids_;
  std::vector<std::string> stream_names_;
  std::int32_t backfill_interval_s_ = 0;  // 0 = no usable interval
  BinanceDecoder decoder_;
  BrokerCounters counters_{"binance"};
  HttpFetcher http_;
  BinanceKlineLoader klines_;
  std::unique_ptr<WsConnection> connection_;
  FeedSink* sink_ = nullptr;
  int subscribe_id_ = 0;

  // io thread only.
  EventClock clock_;
  bool clock_paused_ = false;  // since the loss, until the first live event
  OutageBackfill<Pending> backfill_;

  std::atomic<Phase> phase_{Phase::starting};
};

}  // namespace tickd::core
