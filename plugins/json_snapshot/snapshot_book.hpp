// The latest state of every series the observer sees: the last tick of each
// symbol and, per interval, the open candle and the last closed one. Updated
// on the observer's worker, read by the snapshot writer: one mutex, held for
// a map update or for writing the JSON text, never for I/O.
//
// The tick and each candle are written by the wire codec (tickd/wire.hpp), so
// a snapshot holds the same event objects as every other way out of tickd.
#pragma once

#include <tickd/types.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tickd::json_snapshot {

class SnapshotBook {
 public:
  void on_tick(const Tick& tick);
  void on_candle(const Candle& candle);

  // Appends {"SYMBOL": {"tick": {...}|null, "candles": {"1m": {"open": {...}|null,
  // "last_closed": {...}|null}}}, ...}.
  void append_all(std::string& out) const;
  // The symbols changed since the last call, each with its entry's fields as
  // in append_all() without the braces: "tick":...,"candles":{...}.
  std::vector<std::pair<std::string, std::string>> take_changed();
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
  using Symbols = std::map<std::string, SymbolState, std::less<>>;

  static void append_fields(std::string& out, const SymbolState& s);
  Symbols::iterator state(std::string_view symbol);

  mutable std::mutex mu_;
  // Keys own the symbol text: the stored Tick/Candle copies' symbol views
  // point at their key (a map's keys never move).
  Symbols symbols_;
};

}  // namespace tickd::json_snapshot
