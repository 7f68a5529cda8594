// The latest state of every series the observer sees: the last tick of each
// symbol and, per interval, the open candle and the last closed one. Updated
// on the observer's worker, read by the snapshot writer: one mutex, held for
// a map update or for building the JSON, never for I/O.
#pragma once

#include <tickd/types.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace tickd::json_snapshot {

class SnapshotBook {
 public:
  void on_tick(const Tick& tick);
  void on_candle(const Candle& candle);

  // {"SYMBOL": {"tick": {...}|null, "candles": {"1m": {"open": {...}|null, "last_closed": {...}|null}}}}
  nlohmann::json all() const;
  // The symbols changed since the last call, each with its entry as in all().
  std::vector<std::pair<std::string, nlohmann::json>> take_changed();
  std::size_t series() const;

 private:
  struct Series {
    std::optional<Candle> open;
    std::optional<Candle> last_closed;
  };
  struct SymbolState {
    std::optional<Tick> tick;
    std::map<std::int64_t, Series> candles;  // by interval seconds
    bool changed = true;
  };
  static nlohmann::json entry(const SymbolState& s);
  SymbolState& state(std::string_view symbol);

  mutable std::mutex mu_;
  // Keys own the symbol text; the Tick/Candle copies' symbol views are never read.
  std::map<std::string, SymbolState, std::less<>> symbols_;
};

// The JSON of one tick / candle in a snapshot (field names as the storage JSON).
nlohmann::json tick_json(const Tick& tick);
nlohmann::json candle_json(const Candle& candle);

}  // namespace tickd::json_snapshot
