// One CSV line of recorded trades -> one trade, without allocating.
//
// Layouts:
//   binance_aggtrades  agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,
//                      is_buyer_maker[,is_best_match]
//                      (trade_count = last - first + 1, trade_id = the aggregate id)
//   binance_trades     trade_id,price,qty,quote_qty,time,is_buyer_maker[,is_best_match]
//   generic            time,symbol,price,qty (time in ms)
// Binance times are ms; values of 10^14 and above are taken as microseconds
// (Binance's spot dumps switched to microseconds in 2025). A buyer-maker trade
// was sold into by the aggressor: side sell; otherwise buy.
#pragma once

#include "model/market_data.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace tickd::core {

enum class TradeCsvFormat { binance_aggtrades, binance_trades, generic };

// "binance_aggtrades" | "binance_trades" | "generic"
std::optional<TradeCsvFormat> parse_trade_csv_format(std::string_view name);

struct ParsedTrade {
  std::string_view symbol;  // generic only: points into the parsed line
  TimeMs time = 0;
  double price = 0;
  double quantity = 0;
  std::int64_t trade_id = -1;
  std::uint32_t trade_count = 1;
  Side side = Side::unknown;
};

// True when the line is a header row (its first field is not a number).
bool is_trade_csv_header(std::string_view line);

// Parses one line (a trailing "\r" is ignored). On failure returns false and
// sets `error` to a static description of what is wrong; `out` is then unspecified.
bool parse_trade_csv_line(std::string_view line, TradeCsvFormat format, ParsedTrade& out,
                          std::string_view& error);

}  // namespace tickd::core
