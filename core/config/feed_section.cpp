#include "config/feed_kind.hpp"
#include "config/sections.hpp"

#include <algorithm>
#include <optional>

namespace tickd::core {

namespace {

void read_simulator(FeedKindContext& ctx) {
  const Field block =
      ctx.block.value_or(Field{YAML::Node(), ctx.feed.mark, child_path(ctx.feed.path, "simulator")});
  const MapReader map(ctx.errors, block,
                      {"ticks_per_second", "volatility", "start_price", "seed", "history_hours"});
  SimulatorConfig& sim = ctx.out.simulator;
  if (auto f = map.get("ticks_per_second"))
    sim.ticks_per_second = read_number(ctx.errors, *f, NumberRange::positive).value_or(sim.ticks_per_second);
  if (auto f = map.get("volatility"))
    sim.volatility = read_number(ctx.errors, *f, NumberRange::non_negative).value_or(sim.volatility);
  if (auto f = map.get("start_price"))
    sim.start_price = read_number(ctx.errors, *f, NumberRange::positive).value_or(sim.start_price);
  if (auto f = map.get("seed")) sim.seed = read_unsigned64(ctx.errors, *f).value_or(sim.seed);
  if (auto f = map.get("history_hours"))
    sim.history_hours = read_number(ctx.errors, *f, NumberRange::non_negative).value_or(sim.history_hours);
  if (ctx.active && ctx.symbols_readable && ctx.out.symbols.empty())
    ctx.errors.add(ctx.feed.mark, "'" + child_path(ctx.feed.path, "symbols") +
                                      "' must list at least one symbol for the simulator");
}

void read_replay_file(ErrorCollector& errors, const Field& item, const std::string& base_dir,
                      ReplayConfig& out) {
  const MapReader map(errors, item, {"path", "format", "symbol"});
  if (!map.is_map()) {
    if (item.node.IsNull())
      errors.add(item.mark, "'" + item.path + "' must be a mapping with 'path' and 'format'");
    return;
  }
  ReplayFile file;
  bool ok = true;
  if (auto f = map.get("path")) {
    auto path = read_string(errors, *f);
    if (path && path->empty()) errors.add(f->mark, "'" + f->path + "' must not be empty");
    ok = path && !path->empty();
    if (ok) file.path = resolve_path(base_dir, *path);
  } else {
    errors.add(item.mark, "'" + child_path(item.path, "path") + "' is required");
    ok = false;
  }
  static const std::vector<std::string_view> formats{"binance_aggtrades", "binance_trades", "generic"};
  if (auto f = map.get("format")) {
    auto i = read_choice(errors, *f, formats);
    ok = ok && i;
    if (i) file.format = std::string(formats[*i]);
  } else {
    errors.add(item.mark,
               "'" + child_path(item.path, "format") + "' is required (one of " + join(formats) + ")");
    ok = false;
  }
  if (auto f = map.get("symbol")) {
    auto symbol = read_string(errors, *f);
    if (symbol) file.symbol = *symbol;
    ok = ok && symbol;
  }
  // Binance's dump rows carry no symbol, so it has to come from here.
  if (ok && file.format != "generic" && file.symbol.empty()) {
    errors.add(item.mark, "'" + child_path(item.path, "symbol") + "' is required for format " + file.format);
    ok = false;
  }
  if (ok) out.files.push_back(std::move(file));
}

void read_replay(FeedKindContext& ctx) {
  const Field block =
      ctx.block.value_or(Field{YAML::Node(), ctx.feed.mark, child_path(ctx.feed.path, "replay")});
  const MapReader map(ctx.errors, block, {"files", "speed", "exit_at_end"});
  ReplayConfig& replay = ctx.out.replay;
  bool files_listed = false;
  if (auto f = map.get("files")) {
    if (auto items = read_list(ctx.errors, *f)) {
      files_listed = !items->empty();
      for (const auto& item : *items) read_replay_file(ctx.errors, item, ctx.base_dir, replay);
    }
  }
  if (auto f = map.get("speed"))
    replay.speed = read_number(ctx.errors, *f, NumberRange::non_negative).value_or(replay.speed);
  if (auto f = map.get("exit_at_end"))
    replay.exit_at_end = read_bool(ctx.errors, *f).value_or(replay.exit_at_end);
  if (ctx.active && !files_listed)
    ctx.errors.add(block.mark, "'" + child_path(block.path, "files") +
                                   "' must list at least one file for the replay feed");
}

void read_gate(ErrorCollector& errors, const Field& field, GateConfig& out) {
  const MapReader map(errors, field,
                      {"max_ahead", "max_behind", "max_jump", "max_price", "max_quantity", "price_band",
                       "price_band_confirm", "price_band_window"});
  if (auto f = map.get("max_ahead")) {
    // Zero would reject every tick stamped a millisecond after it was read.
    auto ms = read_duration_ms(errors, *f);
    if (ms && *ms < 1000)
      errors.add(f->mark, "'" + f->path + "' must be at least 1s (clocks differ by that much)");
    else if (ms)
      out.max_ahead_ms = *ms;
  }
  if (auto f = map.get("max_behind"))
    out.max_behind_ms = read_duration_ms(errors, *f).value_or(out.max_behind_ms);
  if (auto f = map.get("max_jump")) out.max_jump_ms = read_duration_ms(errors, *f).value_or(out.max_jump_ms);
  if (auto f = map.get("max_price"))
    out.max_price = read_number(errors, *f, NumberRange::positive).value_or(out.max_price);
  if (auto f = map.get("max_quantity"))
    out.max_quantity = read_number(errors, *f, NumberRange::positive).value_or(out.max_quantity);
  if (auto f = map.get("price_band"))
    out.price_band = read_number(errors, *f, NumberRange::non_negative).value_or(out.price_band);
  // 1 would take every jump at once: the band would reject nothing.
  if (auto f = map.get("price_band_confirm"))
    out.price_band_confirm =
        static_cast<std::uint32_t>(read_integer(errors, *f, 2, 1000).value_or(out.price_band_confirm));
  if (auto f = map.get("price_band_window"))
    out.price_band_window_ms = read_duration_ms(errors, *f).value_or(out.price_band_window_ms);
}

struct FeedKind {
  std::string_view name;
  void (*read)(FeedKindContext&);
};

// One entry per feed kind; its sub-block has the kind's name.
const FeedKind kFeedKinds[] = {
    {"simulator", read_simulator}, {"replay", read_replay},     {"binance", read_binance},
    {"kite", read_kite},           {"smartapi", read_smartapi}, {"nats", read_nats},
};

std::vector<std::string_view> kind_names() {
  std::vector<std::string_view> names;
  for (const auto& kind : kFeedKinds) names.push_back(kind.name);
  return names;
}

}  // namespace

void read_feed_section(ErrorCollector& errors, const Field& field, const std::string& base_dir,
                       FeedConfig& out) {
  out.mark = field.mark;
  const std::vector<std::string_view> kinds = kind_names();
  std::vector<std::string_view> keys{"kind", "symbols", "gate"};
  keys.insert(keys.end(), kinds.begin(), kinds.end());
  // The block of a kind not supported yet would also be an "unknown key": one
  // error (the kind) is enough.
  std::string requested_kind;
  if (field.node.IsMap()) {
    const YAML::Node kind = field.node["kind"];
    if (kind.IsDefined() && kind.IsScalar()) requested_kind = kind.Scalar();
  }
  if (!requested_kind.empty() && std::find(kinds.begin(), kinds.end(), requested_kind) == kinds.end())
    keys.push_back(requested_kind);
  const MapReader map(errors, field, keys);

  bool kind_known = true;
  if (auto f = map.get("kind")) {
    if (auto text = read_string(errors, *f)) {
      kind_known = std::find(kinds.begin(), kinds.end(), *text) != kinds.end();
      if (kind_known) {
        out.kind = *text;
      } else {
        errors.add(f->mark,
                   "unknown feed kind '" + *text + "' in '" + f->path + "' (valid: " + join(kinds) + ")");
      }
    } else {
      kind_known = false;
    }
  }
  bool symbols_readable = true;
  if (auto f = map.get("symbols")) {
    auto symbols = read_string_list(errors, *f);
    symbols_readable = symbols.has_value();
    if (symbols) out.symbols = std::move(*symbols);
    // Positions for errors found later (a broker name the instrument master
    // lacks); only when no item was left out, so that they line up.
    if (auto items = f->node.IsSequence() ? read_list(errors, *f) : std::nullopt;
        items && items->size() == out.symbols.size())
      for (const auto& item : *items) out.symbol_marks.push_back(item.mark);
  }
  // Live broker feeds reject ticks a day old by default: their trades are
  // of now, and such a tick (a recording served as live, a broker's clock or
  // unit bug) would open a bucket in the past. The simulator's past, replays
  // and a nats relay's stream are old on purpose.
  if (out.kind == "binance" || out.kind == "kite" || out.kind == "smartapi")
    out.gate.max_behind_ms = GateConfig::kLiveMaxBehindMs;
  if (auto f = map.get("gate")) read_gate(errors, *f, out.gate);
  for (const auto& kind : kFeedKinds) {
    const bool active = kind_known && out.kind == kind.name;
    FeedKindContext ctx{errors, map.field(), map.get(kind.name), active, symbols_readable, base_dir, out};
    kind.read(ctx);
  }
}

}  // namespace tickd::core
