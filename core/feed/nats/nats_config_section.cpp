// feed.nats: candles from other tickd daemons over NATS JetStream.
#include "config/feed_kind.hpp"
#include "config/sections.hpp"

namespace tickd::core {

namespace {

bool is_subject_token(const std::string& s) {
  return !s.empty() && s.find_first_of(".*> \t\r\n") == std::string::npos;
}

void read_string_into(ErrorCollector& errors, const MapReader& map, std::string_view key, std::string& out) {
  if (auto f = map.get(key))
    if (auto v = read_string(errors, *f)) out = *v;
}

void read_servers(ErrorCollector& errors, const Field& field, std::vector<std::string>& out) {
  std::vector<std::string> servers;
  if (field.node.IsScalar()) {
    if (auto s = read_string(errors, field)) servers.push_back(*s);
  } else if (auto list = read_string_list(errors, field)) {
    servers = std::move(*list);
  }
  for (const auto& s : servers)
    if (s.rfind("nats://", 0) != 0 && s.rfind("tls://", 0) != 0) {
      errors.add(field.mark, "'" + field.path + "': '" + s + "' must start with nats:// or tls://");
      return;
    }
  if (servers.empty()) {
    errors.add(field.mark, "'" + field.path + "' must list at least one server");
    return;
  }
  out = std::move(servers);
}

void read_intervals(ErrorCollector& errors, const Field& field, std::vector<Interval>& out) {
  auto items = read_list(errors, field);
  if (!items) return;
  for (const auto& item : *items) {
    auto name = read_string(errors, item);
    if (!name) continue;
    if (auto iv = Interval::parse(*name))
      out.push_back(*iv);
    else
      errors.add(item.mark, "'" + item.path + "': unknown interval '" + *name +
                                "' (valid: " + Interval::valid_names() + ")");
  }
}

}  // namespace

void read_nats(FeedKindContext& ctx) {
  const Field block = ctx.block_or_empty("nats");
  const MapReader map(ctx.errors, block,
                      {"servers", "prefix", "stream", "intervals", "updates", "ticks", "signals", "user",
                       "password", "token", "creds_file", "nkey", "tls", "reconnect_wait"});
  NatsFeedConfig& cfg = ctx.out.nats;
  if (auto f = map.get("servers")) read_servers(ctx.errors, *f, cfg.servers);
  for (auto [key, out] :
       {std::pair<std::string_view, std::string*>{"prefix", &cfg.prefix}, {"stream", &cfg.stream}})
    if (auto f = map.get(key))
      if (auto v = read_string(ctx.errors, *f)) {
        if (is_subject_token(*v))
          *out = *v;
        else
          ctx.errors.add(f->mark, "'" + f->path + "' must be one subject token (no '.', '*', '>' or spaces)");
      }
  if (auto f = map.get("intervals")) read_intervals(ctx.errors, *f, cfg.intervals);
  if (auto f = map.get("updates")) cfg.updates = read_bool(ctx.errors, *f).value_or(cfg.updates);
  if (auto f = map.get("ticks")) cfg.ticks = read_bool(ctx.errors, *f).value_or(cfg.ticks);
  if (auto f = map.get("signals")) cfg.signals = read_bool(ctx.errors, *f).value_or(cfg.signals);
  read_string_into(ctx.errors, map, "user", cfg.user);
  read_string_into(ctx.errors, map, "password", cfg.password);
  read_string_into(ctx.errors, map, "token", cfg.token);
  if (auto f = map.get("creds_file"))
    if (auto v = read_string(ctx.errors, *f)) cfg.creds_file = resolve_path(ctx.base_dir, *v);
  if (auto f = map.get("nkey")) {
    const MapReader nkey(ctx.errors, *f, {"public_key", "seed_file"});
    read_string_into(ctx.errors, nkey, "public_key", cfg.nkey_public);
    if (auto s = nkey.get("seed_file"))
      if (auto v = read_string(ctx.errors, *s)) cfg.nkey_seed_file = resolve_path(ctx.base_dir, *v);
    if (cfg.nkey_public.empty() != cfg.nkey_seed_file.empty())
      ctx.errors.add(f->mark, "'" + f->path + "' needs both 'public_key' and 'seed_file'");
  }
  if (auto f = map.get("tls")) {
    const MapReader tls(ctx.errors, *f, {"ca_file", "cert_file", "key_file"});
    for (auto [key, out] : {std::pair<std::string_view, std::string*>{"ca_file", &cfg.ca_file},
                            {"cert_file", &cfg.cert_file},
                            {"key_file", &cfg.key_file}})
      if (auto s = tls.get(key))
        if (auto v = read_string(ctx.errors, *s)) *out = resolve_path(ctx.base_dir, *v);
    if (cfg.cert_file.empty() != cfg.key_file.empty())
      ctx.errors.add(f->mark, "'" + f->path + "' needs both 'cert_file' and 'key_file', or neither");
  }
  if (auto f = map.get("reconnect_wait"))
    if (auto ms = read_duration_ms(ctx.errors, *f)) cfg.reconnect_wait_ms = std::max<std::int64_t>(10, *ms);
  const int methods = (!cfg.user.empty() || !cfg.password.empty()) + !cfg.token.empty() +
                      !cfg.nkey_seed_file.empty() + !cfg.creds_file.empty();
  if (ctx.active && methods > 1)
    ctx.errors.add(block.mark, "'" + block.path + "': give one of user/password, token, nkey or creds_file");
  if (ctx.active && ctx.symbols_readable && ctx.out.symbols.empty())
    ctx.errors.add(ctx.feed.mark, "'" + child_path(ctx.feed.path, "symbols") +
                                      "' must list at least one symbol for nats (or \"*\" for all)");
}

}  // namespace tickd::core
