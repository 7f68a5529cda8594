// feed.binance: Binance spot streams, REST bootstrap and backfill.
#include "config/broker_connection_section.hpp"
#include "config/feed_kind.hpp"

namespace tickd::core {

namespace {

// Binance kline intervals that are also tickd intervals (Binance has no 5s, 15s or 30s).
bool is_binance_kline_interval(std::string_view name) {
  static const std::string_view kNames[] = {"1s", "1m", "3m", "5m", "15m", "30m",
                                            "1h", "2h", "4h", "1d", "1w"};
  for (auto n : kNames)
    if (n == name) return true;
  return false;
}

void read_streams(ErrorCollector& errors, const Field& field, std::vector<std::string>& out) {
  auto items = read_list(errors, field);
  if (!items) return;
  std::vector<std::string> streams;
  for (const auto& item : *items) {
    auto name = read_string(errors, item);
    if (!name) continue;
    const bool kline = name->rfind("kline_", 0) == 0;
    if (*name == "trade" || *name == "aggTrade" || (kline && is_binance_kline_interval(name->substr(6)))) {
      streams.push_back(*name);
    } else {
      errors.add(item.mark, "'" + item.path + "': unknown stream '" + *name +
                                "' (valid: trade, aggTrade, kline_<interval> with interval one of "
                                "1s, 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 1d, 1w)");
    }
  }
  if (items->empty()) errors.add(field.mark, "'" + field.path + "' must list at least one stream");
  out = std::move(streams);
}

}  // namespace

void read_binance(FeedKindContext& ctx) {
  const Field block = ctx.block_or_empty("binance");
  std::vector<std::string_view> keys = broker_connection_keys();
  keys.insert(keys.end(), {"streams", "subscribe_mode", "rest_url", "bootstrap_klines", "backfill"});
  const MapReader map(ctx.errors, block, keys);
  BinanceConfig& cfg = ctx.out.binance;
  cfg.connection.url = "wss://stream.binance.com:9443/stream";
  read_broker_connection(ctx.errors, map, ctx.base_dir, cfg.connection);
  if (auto f = map.get("streams")) read_streams(ctx.errors, *f, cfg.streams);
  static const std::vector<std::string_view> modes{"combined", "message"};
  if (auto f = map.get("subscribe_mode"))
    if (auto i = read_choice(ctx.errors, *f, modes))
      cfg.subscribe_mode = *i == 0 ? BinanceSubscribeMode::combined : BinanceSubscribeMode::message;
  if (auto f = map.get("rest_url")) {
    if (auto url = read_string(ctx.errors, *f)) {
      if (url->rfind("http://", 0) == 0 || url->rfind("https://", 0) == 0) {
        cfg.rest_url = *url;
        while (!cfg.rest_url.empty() && cfg.rest_url.back() == '/') cfg.rest_url.pop_back();
      } else {
        ctx.errors.add(f->mark, "'" + f->path + "' must start with http:// or https://");
      }
    }
  }
  if (auto f = map.get("bootstrap_klines"))
    if (auto n = read_integer(ctx.errors, *f, 0, 100000))
      cfg.bootstrap_klines = static_cast<std::uint32_t>(*n);
  if (auto f = map.get("backfill")) cfg.backfill = read_bool(ctx.errors, *f).value_or(cfg.backfill);
  if (ctx.active && ctx.symbols_readable && ctx.out.symbols.empty())
    ctx.errors.add(ctx.feed.mark, "'" + child_path(ctx.feed.path, "symbols") +
                                      "' must list at least one symbol for binance");
}

}  // namespace tickd::core
