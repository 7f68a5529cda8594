#include "feed/replay/trade_csv.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>

namespace tickd::core {
namespace {

constexpr std::size_t kMaxFields = 8;
constexpr std::int64_t kMicrosecondThreshold = 100000000000000LL;  // 10^14

// Splits on commas; false when there are more than kMaxFields fields.
bool split(std::string_view line, std::array<std::string_view, kMaxFields>& fields, std::size_t& count) {
  count = 0;
  for (;;) {
    if (count == kMaxFields) return false;
    const std::size_t comma = line.find(',');
    fields[count++] = line.substr(0, comma);
    if (comma == std::string_view::npos) return true;
    line.remove_prefix(comma + 1);
  }
}

bool parse_int(std::string_view text, std::int64_t& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && !text.empty();
}

bool parse_double(std::string_view text, double& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && !text.empty() && std::isfinite(out);
}

bool parse_bool(std::string_view text, bool& out) {
  if (text == "True" || text == "true" || text == "TRUE" || text == "1") {
    out = true;
    return true;
  }
  if (text == "False" || text == "false" || text == "FALSE" || text == "0") {
    out = false;
    return true;
  }
  return false;
}

bool parse_binance_time(std::string_view text, TimeMs& out) {
  std::int64_t value = 0;
  if (!parse_int(text, value) || value < 0) return false;
  out = value >= kMicrosecondThreshold ? value / 1000 : value;
  return true;
}

bool fail(std::string_view& error, std::string_view reason) {
  error = reason;
  return false;
}

bool parse_price_quantity(std::string_view price, std::string_view quantity, ParsedTrade& out,
                          std::string_view& error) {
  if (!parse_double(price, out.price) || out.price <= 0) return fail(error, "bad price");
  if (!parse_double(quantity, out.quantity) || out.quantity < 0) return fail(error, "bad quantity");
  return true;
}

bool parse_aggressor(std::string_view is_buyer_maker, ParsedTrade& out, std::string_view& error) {
  bool buyer_maker = false;
  if (!parse_bool(is_buyer_maker, buyer_maker)) return fail(error, "bad is_buyer_maker");
  out.side = buyer_maker ? Side::sell : Side::buy;
  return true;
}

bool parse_aggtrade(const std::array<std::string_view, kMaxFields>& f, std::size_t n, ParsedTrade& out,
                    std::string_view& error) {
  if (n != 7 && n != 8) return fail(error, "expected 7 or 8 fields");
  if (!parse_int(f[0], out.trade_id)) return fail(error, "bad agg_trade_id");
  if (!parse_price_quantity(f[1], f[2], out, error)) return false;
  std::int64_t first = 0, last = 0;
  if (!parse_int(f[3], first)) return fail(error, "bad first_trade_id");
  if (!parse_int(f[4], last)) return fail(error, "bad last_trade_id");
  if (last < first || last - first >= std::numeric_limits<std::uint32_t>::max())
    return fail(error, "bad trade id range");
  out.trade_count = static_cast<std::uint32_t>(last - first + 1);
  if (!parse_binance_time(f[5], out.time)) return fail(error, "bad transact_time");
  if (!parse_aggressor(f[6], out, error)) return false;
  bool best_match = false;
  if (n == 8 && !parse_bool(f[7], best_match)) return fail(error, "bad is_best_match");
  return true;
}

bool parse_trade(const std::array<std::string_view, kMaxFields>& f, std::size_t n, ParsedTrade& out,
                 std::string_view& error) {
  if (n != 6 && n != 7) return fail(error, "expected 6 or 7 fields");
  if (!parse_int(f[0], out.trade_id)) return fail(error, "bad trade_id");
  if (!parse_price_quantity(f[1], f[2], out, error)) return false;
  double quote_quantity = 0;
  if (!parse_double(f[3], quote_quantity)) return fail(error, "bad quote_qty");
  out.trade_count = 1;
  if (!parse_binance_time(f[4], out.time)) return fail(error, "bad time");
  if (!parse_aggressor(f[5], out, error)) return false;
  bool best_match = false;
  if (n == 7 && !parse_bool(f[6], best_match)) return fail(error, "bad is_best_match");
  return true;
}

bool parse_generic(const std::array<std::string_view, kMaxFields>& f, std::size_t n, ParsedTrade& out,
                   std::string_view& error) {
  if (n != 4) return fail(error, "expected 4 fields (time,symbol,price,qty)");
  std::int64_t time = 0;
  if (!parse_int(f[0], time) || time < 0) return fail(error, "bad time");
  out.time = time;
  if (f[1].empty()) return fail(error, "empty symbol");
  out.symbol = f[1];
  if (!parse_price_quantity(f[2], f[3], out, error)) return false;
  out.trade_id = -1;
  out.trade_count = 1;
  out.side = Side::unknown;
  return true;
}

}  // namespace

std::optional<TradeCsvFormat> parse_trade_csv_format(std::string_view name) {
  if (name == "binance_aggtrades") return TradeCsvFormat::binance_aggtrades;
  if (name == "binance_trades") return TradeCsvFormat::binance_trades;
  if (name == "generic") return TradeCsvFormat::generic;
  return std::nullopt;
}

bool is_trade_csv_header(std::string_view line) {
  const std::size_t first = line.find_first_not_of(" \t");
  if (first == std::string_view::npos) return false;
  const char c = line[first];
  return !(c >= '0' && c <= '9') && c != '-' && c != '+' && c != '.' && c != ',';
}

bool parse_trade_csv_line(std::string_view line, TradeCsvFormat format, ParsedTrade& out,
                          std::string_view& error) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) return fail(error, "empty line");
  std::array<std::string_view, kMaxFields> fields;
  std::size_t count = 0;
  if (!split(line, fields, count)) return fail(error, "too many fields");
  out.symbol = {};
  switch (format) {
    case TradeCsvFormat::binance_aggtrades:
      return parse_aggtrade(fields, count, out, error);
    case TradeCsvFormat::binance_trades:
      return parse_trade(fields, count, out, error);
    case TradeCsvFormat::generic:
      return parse_generic(fields, count, out, error);
  }
  return fail(error, "unknown format");
}

}  // namespace tickd::core
