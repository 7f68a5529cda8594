// Glue on the feed thread: ticks go to the bus and the aggregator, candles from
// the aggregator go to the bus.
#pragma once

#include "aggregate/aggregator.hpp"
#include "bus/dispatcher.hpp"
#include "feed/feed.hpp"

#include <functional>

namespace tickd::core {

class EventRouter : public FeedSink, public CandleSink {
 public:
  explicit EventRouter(Dispatcher& dispatcher) : dispatcher_(dispatcher) {}

  void attach(Aggregator& aggregator) { aggregator_ = &aggregator; }
  void on_end(std::function<void()> f) { on_end_ = std::move(f); }

  void on_tick(const TickData& tick) override {
    Dispatcher::Batch batch(dispatcher_);
    if (!in_history_) dispatcher_.dispatch(Event::of_tick(tick));
    aggregator_->on_tick(tick);
  }
  void on_batch_begin() override { dispatcher_.begin_batch(); }
  void on_batch_end() override { dispatcher_.end_batch(); }
  void on_history_begin() override {
    in_history_ = true;
    aggregator_->set_emit(false);
  }
  void on_history_end() override {
    in_history_ = false;
    aggregator_->set_emit(true);
  }
  void on_feed_end() override {
    if (on_end_) on_end_();
  }
  void on_exchange_candle(const CandleData& candle) override { aggregator_->on_exchange_candle(candle); }
  void on_backfill_candle(const CandleData& candle) override { aggregator_->on_backfill_candle(candle); }
  void on_amended_candle(const CandleData& candle) override { aggregator_->on_amended_candle(candle); }
  void on_signal(SymbolId symbol, Signal signal) override {
    auto record = std::make_shared<SignalRecord>();
    record->symbol = symbol;
    record->signal = std::move(signal);
    dispatcher_.dispatch(Event::of_signal(std::move(record)));
  }
  void on_exchange_series(SymbolId symbol, Interval interval) override {
    aggregator_->own_series(symbol, interval);
  }
  void on_history_candles(SymbolId symbol, Interval interval,
                          const std::vector<CandleData>& candles) override {
    aggregator_->restore(symbol, interval, candles);
  }
  TimeMs history_end(SymbolId symbol, Interval interval) const override {
    std::vector<CandleData> last;
    if (!aggregator_->history(symbol, interval, 2, last)) return 0;
    for (auto it = last.rbegin(); it != last.rend(); ++it)
      if (it->closed()) return it->open_time + interval.seconds() * 1000;
    return 0;
  }
  void on_candle(const CandleData& candle, CandleEventKind kind) override {
    dispatcher_.dispatch(Event::of_candle(candle, kind == CandleEventKind::closed));
  }

 private:
  Dispatcher& dispatcher_;
  Aggregator* aggregator_ = nullptr;
  bool in_history_ = false;
  std::function<void()> on_end_;
};

}  // namespace tickd::core
