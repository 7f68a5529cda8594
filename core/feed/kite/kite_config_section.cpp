// feed.kite: Zerodha Kite Connect ticker.
#include "config/broker_connection_section.hpp"
#include "config/feed_kind.hpp"

#include <algorithm>
#include <set>

namespace tickd::core {

namespace {

void read_instruments(ErrorCollector& errors, const Field& field, KiteConfig& out) {
  for (const auto& entry : map_entries(errors, field)) {
    const std::string& key = entry.key;
    const bool digits = !key.empty() && key.size() <= 10 && std::all_of(key.begin(), key.end(), ::isdigit);
    const unsigned long long token = digits ? std::stoull(key) : 0;
    if (!digits || token == 0 || token > 0xffffffffULL) {
      errors.add(entry.key_mark, "'" + entry.value.path + "': instrument token '" + key +
                                     "' must be a positive 32-bit integer");
      continue;
    }
    auto symbol = read_string(errors, entry.value);
    if (!symbol) continue;
    if (symbol->empty()) {
      errors.add(entry.value.mark, "'" + entry.value.path + "' must not be empty");
      continue;
    }
    out.instruments.emplace_back(static_cast<std::uint32_t>(token), *symbol);
  }
}

}  // namespace

void read_kite(FeedKindContext& ctx) {
  const Field block = ctx.block_or_empty("kite");
  const MapReader map(ctx.errors, block,
                      indian_broker_keys({"api_key", "access_token", "access_token_file", "mode",
                                          "instruments", "instruments_csv", "instrument_master"}));
  KiteConfig& cfg = ctx.out.kite;
  cfg.connection.url = "wss://ws.kite.trade";
  read_broker_connection(ctx.errors, map, ctx.base_dir, cfg.connection);
  cfg.history.rest_url = "https://api.kite.trade";
  read_broker_history(ctx.errors, map, cfg.history);
  read_broker_sharding(ctx.errors, map, cfg.sharding);
  if (auto f = map.get("access_token_file")) {
    if (auto path = read_string(ctx.errors, *f)) cfg.access_token_file = resolve_path(ctx.base_dir, *path);
    if (map.get("access_token"))
      ctx.errors.add(f->mark, "'" + f->path + "' and 'access_token' exclude each other: give one");
  }
  for (auto [key, target] : {std::pair<const char*, std::string*>{"api_key", &cfg.api_key},
                             std::pair<const char*, std::string*>{"access_token", &cfg.access_token}}) {
    if (auto f = map.get(key)) {
      if (auto v = read_string(ctx.errors, *f)) *target = *v;
    } else if (ctx.active && !(std::string(key) == "access_token" && !cfg.access_token_file.empty())) {
      ctx.errors.add(
          block.mark,
          "'" + child_path(block.path, key) + "' is required (e.g. ${KITE_" +
              (std::string(key) == "api_key" ? "API_KEY})" : "ACCESS_TOKEN}, or access_token_file)"));
    }
  }
  static const std::vector<std::string_view> modes{"ltp", "quote", "full"};
  if (auto f = map.get("mode"))
    if (auto i = read_choice(ctx.errors, *f, modes)) cfg.mode = std::string(modes[*i]);
  if (auto f = map.get("instruments")) read_instruments(ctx.errors, *f, cfg);
  if (auto f = map.get("instruments_csv"))
    if (auto path = read_string(ctx.errors, *f)) cfg.instruments_csv = resolve_path(ctx.base_dir, *path);
  if (auto f = map.get("instrument_master"))
    read_instrument_master(ctx.errors, *f, ctx.base_dir, cfg.instrument_master);
  if (!ctx.active) return;
  // Instruments by token (the inline map) and/or by name: feed.symbols, resolved
  // through the instrument master (downloaded, or instruments_csv).
  if (cfg.instruments.empty() && ctx.symbols_readable && ctx.out.symbols.empty())
    ctx.errors.add(ctx.feed.mark, "'" + child_path(ctx.feed.path, "symbols") +
                                      "' must list EXCHANGE:TRADINGSYMBOL names (e.g. [NSE:INFY]), or '" +
                                      block.path + ".instruments' tokens (e.g. {408065: NSE:INFY})");
  if (ctx.out.symbols.empty())
    for (const auto& [token, symbol] : cfg.instruments) ctx.out.symbols.push_back(symbol);
  // Tokens given, plus the names still to resolve (one instrument each).
  std::set<std::uint32_t> tokens;
  std::set<std::string> given, names;
  for (const auto& [token, symbol] : cfg.instruments) tokens.insert(token), given.insert(symbol);
  for (const auto& name : ctx.out.symbols)
    if (!given.count(name)) names.insert(name);
  check_broker_capacity(ctx.errors, map, block, tokens.size() + names.size(), cfg.sharding);
}

}  // namespace tickd::core
