// One message from NATS (its payload in the one wire codec, tickd/wire.hpp)
// -> a candle or a tick with an interned symbol. Pure (no NATS): tested and
// fuzzed alone.
#pragma once

#include "model/market_data.hpp"
#include "model/symbol_table.hpp"

#include <tickd/wire.hpp>

#include <string>
#include <string_view>
#include <unordered_set>

namespace tickd::core {

class NatsMessageDecoder {
 public:
  // `symbols`: the names wanted; empty or containing "*" means every symbol.
  NatsMessageDecoder(SymbolTable& table, const std::vector<std::string>& symbols);

  enum class Result { ok, unwanted, error };
  // A candle, closed or not as `closed` says the subject promised.
  Result candle(std::string_view payload, bool closed, CandleData& out, std::string& error);
  Result tick(std::string_view payload, TickData& out, std::string& error);
  Result signal(std::string_view payload, SymbolId& symbol, Signal& out, std::string& error);

 private:
  Result symbol_id(std::string_view name, SymbolId& out, std::string& error);

  SymbolTable& table_;
  bool all_symbols_ = false;
  std::unordered_set<std::string> wanted_;
  wire::Decoder decoder_;
  wire::Event event_;
};

}  // namespace tickd::core
