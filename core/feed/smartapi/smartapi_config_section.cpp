// feed.smartapi: Angel One SmartAPI WebSocket V2.
#include "config/broker_connection_section.hpp"
#include "config/feed_kind.hpp"

#include <algorithm>
#include <set>
#include <tuple>

namespace tickd::core {

namespace {

void read_token(ErrorCollector& errors, const Field& item, SmartApiConfig& out) {
  const MapReader map(errors, item, {"exchange_type", "token", "symbol"});
  if (!map.is_map()) {
    if (item.node.IsNull())
      errors.add(item.mark, "'" + item.path + "' must be a mapping with 'token' and 'symbol'");
    return;
  }
  SmartApiToken t;
  bool ok = true;
  if (auto f = map.get("exchange_type")) {
    auto n = read_integer(errors, *f, 1, 13);
    ok = ok && n;
    if (n) t.exchange_type = static_cast<int>(*n);
  }
  for (auto [key, target] : {std::pair<const char*, std::string*>{"token", &t.token},
                             std::pair<const char*, std::string*>{"symbol", &t.symbol}}) {
    auto f = map.get(key);
    if (!f) {
      errors.add(item.mark, "'" + child_path(item.path, key) + "' is required");
      ok = false;
      continue;
    }
    auto v = read_string(errors, *f);
    if (v && v->empty()) errors.add(f->mark, "'" + f->path + "' must not be empty");
    ok = ok && v && !v->empty();
    if (v) *target = *v;
  }
  // The binary packet carries the token in a 25-byte field.
  if (ok && t.token.size() > 25) {
    errors.add(item.mark, "'" + child_path(item.path, "token") + "' is longer than 25 characters");
    ok = false;
  }
  if (ok) out.tokens.push_back(std::move(t));
}

}  // namespace

void read_smartapi(FeedKindContext& ctx) {
  const Field block = ctx.block_or_empty("smartapi");
  const MapReader map(
      ctx.errors, block,
      indian_broker_keys({"auth_token", "auth_token_file", "api_key", "client_code", "feed_token",
                          "feed_token_file", "mode", "tokens", "heartbeat", "instrument_master"}));
  SmartApiConfig& cfg = ctx.out.smartapi;
  cfg.connection.url = "wss://smartapisocket.angelone.in/smart-stream";
  read_broker_connection(ctx.errors, map, ctx.base_dir, cfg.connection);
  cfg.history.rest_url = "https://apiconnect.angelone.in";
  read_broker_history(ctx.errors, map, cfg.history);
  read_broker_sharding(ctx.errors, map, cfg.sharding);
  // A token from a file (renewed daily without a restart) instead of the YAML.
  std::vector<std::string> from_file;
  for (auto [key, target, inline_key] : {std::tuple<const char*, std::string*, const char*>{
                                             "auth_token_file", &cfg.auth_token_file, "auth_token"},
                                         std::tuple<const char*, std::string*, const char*>{
                                             "feed_token_file", &cfg.feed_token_file, "feed_token"}}) {
    auto f = map.get(key);
    if (!f) continue;
    if (auto path = read_string(ctx.errors, *f)) *target = resolve_path(ctx.base_dir, *path);
    if (map.get(inline_key))
      ctx.errors.add(f->mark, "'" + f->path + "' and '" + inline_key + "' exclude each other: give one");
    from_file.push_back(inline_key);
  }
  for (auto [key, target] : {std::pair<const char*, std::string*>{"auth_token", &cfg.auth_token},
                             std::pair<const char*, std::string*>{"api_key", &cfg.api_key},
                             std::pair<const char*, std::string*>{"client_code", &cfg.client_code},
                             std::pair<const char*, std::string*>{"feed_token", &cfg.feed_token}}) {
    if (auto f = map.get(key)) {
      if (auto v = read_string(ctx.errors, *f)) *target = *v;
    } else if (ctx.active && std::find(from_file.begin(), from_file.end(), key) == from_file.end()) {
      ctx.errors.add(block.mark, "'" + child_path(block.path, key) + "' is required");
    }
  }
  static const std::vector<std::string_view> modes{"ltp", "quote", "snapquote"};
  if (auto f = map.get("mode"))
    if (auto i = read_choice(ctx.errors, *f, modes)) cfg.mode = std::string(modes[*i]);
  if (auto f = map.get("heartbeat"))
    cfg.heartbeat_ms = read_duration_ms(ctx.errors, *f).value_or(cfg.heartbeat_ms);
  bool listed = false;
  if (auto f = map.get("tokens"))
    if (auto items = read_list(ctx.errors, *f)) {
      listed = !items->empty();
      for (const auto& item : *items) read_token(ctx.errors, item, cfg);
    }
  if (auto f = map.get("instrument_master"))
    read_instrument_master(ctx.errors, *f, ctx.base_dir, cfg.instrument_master);
  if (!ctx.active) return;
  // Tokens and/or names in feed.symbols, resolved through the scrip master.
  if (!listed && ctx.symbols_readable && ctx.out.symbols.empty())
    ctx.errors.add(ctx.feed.mark, "'" + child_path(ctx.feed.path, "symbols") +
                                      "' must list EXCHANGE:SYMBOL names (e.g. [NSE:RELIANCE]), or '" +
                                      child_path(block.path, "tokens") + "' at least one token");
  if (ctx.out.symbols.empty())
    for (const auto& t : cfg.tokens) ctx.out.symbols.push_back(t.symbol);
  // Tokens given, plus the names still to resolve (one instrument each).
  std::set<std::pair<int, std::string>> tokens;
  std::set<std::string> given, names;
  for (const auto& t : cfg.tokens) tokens.insert({t.exchange_type, t.token}), given.insert(t.symbol);
  for (const auto& name : ctx.out.symbols)
    if (!given.count(name)) names.insert(name);
  check_broker_capacity(ctx.errors, map, block, tokens.size() + names.size(), cfg.sharding);
}

}  // namespace tickd::core
