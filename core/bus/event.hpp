// What travels from the feed thread to the observers: one small value per event.
#pragma once

#include "model/market_data.hpp"

#include <tickd/abi.h>
#include <tickd/types.hpp>

#include <memory>

namespace tickd::core {

enum class EventKind : std::uint8_t {
  tick = TICKD_EVENT_TICK,
  candle_update = TICKD_EVENT_CANDLE_UPDATE,
  candle_closed = TICKD_EVENT_CANDLE_CLOSED,
  signal = TICKD_EVENT_SIGNAL
};

// Signals carry strings, so they travel by shared pointer; they are rare.
struct SignalRecord {
  SymbolId symbol = 0;
  Signal signal;  // signal.symbol is the interned name's copy
};

struct alignas(64) Event {  // whole cache lines: producer and consumer never share one
  EventKind kind = EventKind::tick;
  union {
    TickData tick;
    CandleData candle;
  };
  std::shared_ptr<const SignalRecord> signal;

  Event() : tick() {}

  static Event of_tick(const TickData& t) {
    Event e;
    e.kind = EventKind::tick;
    e.tick = t;
    return e;
  }
  static Event of_candle(const CandleData& c, bool closed) {
    Event e;
    e.kind = closed ? EventKind::candle_closed : EventKind::candle_update;
    e.candle = c;
    return e;
  }
  static Event of_signal(std::shared_ptr<const SignalRecord> s) {
    Event e;
    e.kind = EventKind::signal;
    e.signal = std::move(s);
    return e;
  }

  // Ticks and open-candle updates may be dropped under `drop_ticks`; closed
  // candles and signals never are.
  bool droppable() const { return kind == EventKind::tick || kind == EventKind::candle_update; }
  SymbolId symbol() const {
    switch (kind) {
      case EventKind::tick:
        return tick.symbol;
      case EventKind::signal:
        return signal->symbol;
      default:
        return candle.symbol;
    }
  }
  // 0 for ticks and for signals not tied to an interval.
  std::int64_t interval_s() const {
    switch (kind) {
      case EventKind::tick:
        return 0;
      case EventKind::signal:
        return signal->signal.interval.seconds();
      default:
        return candle.interval_s;
    }
  }
};

}  // namespace tickd::core
