#include "snapshot_book.hpp"

#include <tickd/wire.hpp>

namespace tickd::json_snapshot {

SnapshotBook::Symbols::iterator SnapshotBook::state(std::string_view symbol) {
  auto it = symbols_.find(symbol);
  if (it == symbols_.end()) it = symbols_.emplace(std::string(symbol), SymbolState{}).first;
  it->second.changed = true;
  return it;
}

void SnapshotBook::on_tick(const Tick& tick) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = state(tick.symbol);
  it->second.tick = tick;
  it->second.tick->symbol = it->first;
}

void SnapshotBook::on_candle(const Candle& candle) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = state(candle.symbol);
  Series& s = it->second.candles[candle.interval.seconds()];
  if (!candle.closed) {
    s.open = candle;
    s.open->symbol = it->first;
    return;
  }
  if (!s.last_closed || candle.open_time >= s.last_closed->open_time) {
    s.last_closed = candle;
    s.last_closed->symbol = it->first;
  }
  // The bucket that closed is no longer open; the next one opens with its first tick.
  if (s.open && s.open->open_time <= candle.open_time) s.open.reset();
}

void SnapshotBook::append_fields(std::string& out, const SymbolState& s) {
  auto event_or_null = [&out](const auto& event) {
    if (event)
      wire::append(out, *event);
    else
      out += "null";
  };
  out += "\"tick\":";
  event_or_null(s.tick);
  out += ",\"candles\":{";
  bool first = true;
  for (const auto& [seconds, series] : s.candles) {
    const auto interval = Interval::from_seconds(seconds);
    if (!interval) continue;
    if (!first) out += ',';
    first = false;
    wire::append_string(out, interval->name());
    out += ":{\"open\":";
    event_or_null(series.open);
    out += ",\"last_closed\":";
    event_or_null(series.last_closed);
    out += '}';
  }
  out += '}';
}

void SnapshotBook::append_all(std::string& out) const {
  std::lock_guard<std::mutex> lock(mu_);
  out += '{';
  bool first = true;
  for (const auto& [symbol, state] : symbols_) {
    if (!first) out += ',';
    first = false;
    wire::append_string(out, symbol);
    out += ":{";
    append_fields(out, state);
    out += '}';
  }
  out += '}';
}

std::vector<std::pair<std::string, std::string>> SnapshotBook::take_changed() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& [symbol, state] : symbols_) {
    if (!state.changed) continue;
    state.changed = false;
    std::string fields;
    append_fields(fields, state);
    out.emplace_back(symbol, std::move(fields));
  }
  return out;
}

std::size_t SnapshotBook::series() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::size_t n = 0;
  for (const auto& [symbol, state] : symbols_) n += state.candles.size();
  return n;
}

}  // namespace tickd::json_snapshot
