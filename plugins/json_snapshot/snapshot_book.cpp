#include "snapshot_book.hpp"

namespace tickd::json_snapshot {

using nlohmann::json;

json tick_json(const Tick& t) {
  return {{"time", t.time},         {"price", t.price},
          {"quantity", t.quantity}, {"side", std::string(side_name(t.side))},
          {"trade_id", t.trade_id}, {"trade_count", t.trade_count}};
}

json candle_json(const Candle& c) {
  return {{"interval", std::string(c.interval.name())},
          {"open_time", c.open_time},
          {"close_time", c.close_time()},
          {"open", c.open},
          {"high", c.high},
          {"low", c.low},
          {"close", c.close},
          {"volume", c.volume},
          {"quote_volume", c.quote_volume},
          {"vwap", c.vwap},
          {"trade_count", c.trade_count},
          {"closed", c.closed},
          {"partial", c.partial},
          {"filled", c.filled}};
}

SnapshotBook::SymbolState& SnapshotBook::state(std::string_view symbol) {
  auto it = symbols_.find(symbol);
  if (it == symbols_.end()) it = symbols_.emplace(std::string(symbol), SymbolState{}).first;
  it->second.changed = true;
  return it->second;
}

void SnapshotBook::on_tick(const Tick& tick) {
  std::lock_guard<std::mutex> lock(mu_);
  state(tick.symbol).tick = tick;
}

void SnapshotBook::on_candle(const Candle& candle) {
  std::lock_guard<std::mutex> lock(mu_);
  Series& s = state(candle.symbol).candles[candle.interval.seconds()];
  if (!candle.closed) {
    s.open = candle;
    return;
  }
  if (!s.last_closed || candle.open_time >= s.last_closed->open_time) s.last_closed = candle;
  // The bucket that closed is no longer open; the next one opens with its first tick.
  if (s.open && s.open->open_time <= candle.open_time) s.open.reset();
}

json SnapshotBook::entry(const SymbolState& s) {
  json candles = json::object();
  for (const auto& [seconds, series] : s.candles) {
    const auto interval = Interval::from_seconds(seconds);
    if (!interval) continue;
    candles[std::string(interval->name())] = {
        {"open", series.open ? candle_json(*series.open) : json(nullptr)},
        {"last_closed", series.last_closed ? candle_json(*series.last_closed) : json(nullptr)}};
  }
  return {{"tick", s.tick ? tick_json(*s.tick) : json(nullptr)}, {"candles", std::move(candles)}};
}

json SnapshotBook::all() const {
  std::lock_guard<std::mutex> lock(mu_);
  json out = json::object();
  for (const auto& [symbol, state] : symbols_) out[symbol] = entry(state);
  return out;
}

std::vector<std::pair<std::string, json>> SnapshotBook::take_changed() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<std::string, json>> out;
  for (auto& [symbol, state] : symbols_) {
    if (!state.changed) continue;
    state.changed = false;
    out.emplace_back(symbol, entry(state));
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
