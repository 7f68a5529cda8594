#include "config/sections.hpp"
#include "config/yaml_to_json.hpp"

#include <tickd/abi.h>

#include <algorithm>
#include <cctype>

namespace tickd::core {

namespace {

constexpr std::uint32_t kMinQueue = 16;
// Bounds the memory one entry can ask for; far above any sensible backlog.
constexpr std::int64_t kMaxQueue = 1 << 24;

struct EventName {
  std::string_view name;
  std::uint32_t bit;
};
const EventName kEvents[] = {{"tick", TICKD_EVENT_TICK},
                             {"candle_update", TICKD_EVENT_CANDLE_UPDATE},
                             {"candle_closed", TICKD_EVENT_CANDLE_CLOSED},
                             {"signal", TICKD_EVENT_SIGNAL}};

bool is_identifier(const std::string& text) {
  if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_')) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// Names show up in logs and metrics labels: keep them to a safe alphabet.
bool is_observer_name(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

// A plugin is a name (tickd_<name>.so) or a file name, both looked up in
// plugin_dirs only: a path would let the config load code from anywhere.
bool is_plugin_reference(const std::string& text) {
  if (is_identifier(text)) return true;
  const std::string suffix = ".so";
  return text.size() > suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0 &&
         text.find('/') == std::string::npos && text[0] != '.';
}

std::vector<std::string_view> event_names() {
  std::vector<std::string_view> names;
  for (const auto& e : kEvents) names.push_back(e.name);
  return names;
}

void read_events(ErrorCollector& errors, const Field& field, ObserverConfig& out) {
  auto items = read_list(errors, field);
  if (!items) return;
  if (items->empty()) {
    errors.add(field.mark, "'" + field.path + "' must list at least one event (" + join(event_names()) + ")");
    return;
  }
  std::uint32_t mask = 0;
  for (const auto& item : *items)
    if (auto i = read_choice(errors, item, event_names())) mask |= kEvents[*i].bit;
  if (mask != 0) out.events = mask;
}

void read_intervals(ErrorCollector& errors, const Field& field, const AggregatorConfig& aggregator,
                    bool intervals_known, ObserverConfig& out) {
  auto items = read_list(errors, field);
  if (!items) return;
  std::vector<Interval> intervals;
  for (const auto& item : *items) {
    auto name = read_string(errors, item);
    if (!name) continue;
    auto interval = Interval::parse(*name);
    if (!interval) {
      errors.add(item.mark, "invalid interval '" + *name + "' in '" + field.path +
                                "' (valid: " + Interval::valid_names() + ")");
      continue;
    }
    const auto& configured = aggregator.intervals;
    if (intervals_known && std::find(configured.begin(), configured.end(), *interval) == configured.end()) {
      std::vector<std::string_view> names;
      for (auto i : configured) names.push_back(i.name());
      errors.add(item.mark, "interval '" + *name + "' in '" + field.path +
                                "' is not aggregated (aggregator.intervals: " + join(names) + ")");
      continue;
    }
    if (std::find(intervals.begin(), intervals.end(), *interval) == intervals.end())
      intervals.push_back(*interval);
  }
  std::sort(intervals.begin(), intervals.end());
  out.intervals = std::move(intervals);
}

// `process:` (a program, or the limits of an isolated plugin) and `isolation:`.
void read_process_keys(ErrorCollector& errors, const MapReader& map, const std::string& base_dir,
                       ObserverConfig& out) {
  const auto plugin = map.get("plugin");
  if (auto f = map.get("isolation")) {
    if (auto i = read_choice(errors, *f, {"in_process", "process"})) {
      out.isolation = *i == 0 ? Isolation::in_process : Isolation::process;
      if (!plugin && out.isolation == Isolation::process)
        errors.add(f->mark, "'" + f->path + "' applies to plugins; a 'process' observer always runs apart");
    }
  }
  if (auto f = map.get("process")) {
    out.process_mark = f->mark;
    ProcessConfig process;
    read_process_block(errors, *f, base_dir, process);
    if (plugin && !process.command.empty())
      errors.add(f->mark, "'" + f->path +
                              ".command' and 'plugin' are mutually exclusive: an observer runs "
                              "a plugin or a program");
    else if (plugin && out.isolation != Isolation::process)
      errors.add(f->mark, "'" + f->path + "' with a plugin holds the limits of 'isolation: process'; add it");
    else if (!plugin && process.command.empty() && !(f->node.IsMap() && f->node["command"].IsDefined()))
      errors.add(f->mark, "'" + f->path +
                              ".command' is required: the program to run, e.g. [python3, -u, "
                              "my_observer.py]");
    out.process = std::move(process);
  } else if (out.isolation == Isolation::process) {
    ProcessConfig process;
    process.cwd = base_dir;
    out.process = std::move(process);
  }
}

// The position of the entry's name, or nullopt when it has no usable name.
std::optional<SourceMark> read_observer(ErrorCollector& errors, const Field& field,
                                        const std::string& base_dir, const AggregatorConfig& aggregator,
                                        bool intervals_known, ObserverConfig& out) {
  const MapReader map(errors, field,
                      {"name", "plugin", "process", "isolation", "enabled", "optional", "events", "symbols",
                       "intervals", "queue", "overflow", "max_failures", "config"});
  if (!map.is_map()) {
    if (field.node.IsNull())
      errors.add(field.mark,
                 "'" + field.path + "' must be a mapping with 'name' and 'plugin' (or 'process')");
    return std::nullopt;
  }
  out.mark = field.mark;
  out.events = TICKD_EVENT_TICK | TICKD_EVENT_CANDLE_UPDATE | TICKD_EVENT_CANDLE_CLOSED | TICKD_EVENT_SIGNAL;
  std::optional<SourceMark> name_mark;
  if (auto f = map.get("name")) {
    if (auto name = read_string(errors, *f)) {
      if (is_observer_name(*name)) {
        out.name = *name;
        name_mark = f->mark;
      } else {
        errors.add(f->mark, "'" + f->path +
                                "' must be a non-empty name of letters, digits, '_', '-' or '.', got '" +
                                *name + "'");
      }
    }
  } else {
    errors.add(field.mark, "'" + child_path(field.path, "name") + "' is required");
  }
  if (auto f = map.get("plugin")) {
    out.plugin_mark = f->mark;
    if (auto plugin = read_string(errors, *f)) {
      if (is_plugin_reference(*plugin)) {
        out.plugin = *plugin;
      } else {
        errors.add(f->mark, "'" + f->path +
                                "' must be a plugin name such as 'logger' or a file name ending in .so "
                                "(found in daemon.plugin_dirs), got '" +
                                *plugin + "'");
      }
    }
  } else if (!map.get("process")) {
    errors.add(field.mark, "'" + child_path(field.path, "plugin") + "' or '" +
                               child_path(field.path, "process") + "' is required");
  }
  read_process_keys(errors, map, base_dir, out);
  if (auto f = map.get("enabled")) out.enabled = read_bool(errors, *f).value_or(out.enabled);
  if (auto f = map.get("optional")) out.optional = read_bool(errors, *f).value_or(out.optional);
  if (auto f = map.get("events")) read_events(errors, *f, out);
  if (auto f = map.get("symbols")) {
    if (auto symbols = read_string_list(errors, *f)) out.symbols = std::move(*symbols);
  }
  if (auto f = map.get("intervals")) read_intervals(errors, *f, aggregator, intervals_known, out);
  if (auto f = map.get("queue")) {
    if (auto n = read_integer(errors, *f, kMinQueue, kMaxQueue)) out.queue = static_cast<std::uint32_t>(*n);
  }
  if (auto f = map.get("overflow")) {
    if (auto i = read_choice(errors, *f, {"block", "drop_ticks"}))
      out.overflow = *i == 0 ? Overflow::block : Overflow::drop_ticks;
  }
  if (auto f = map.get("max_failures")) {
    if (auto n = read_integer(errors, *f, 1, std::numeric_limits<std::uint32_t>::max()))
      out.max_failures = static_cast<std::uint32_t>(*n);
  }
  out.config_path = child_path(field.path, "config");
  out.config_positions.block = field.mark;
  if (auto f = map.get("config")) {
    out.config_positions.block = f->mark;
    if (f->node.IsNull() || f->node.IsMap()) {
      out.config =
          f->node.IsNull() ? nlohmann::json::object() : yaml_to_json(errors, *f, &out.config_positions);
    } else {
      errors.add(f->mark, "'" + f->path + "' must be a mapping");
    }
  }
  return name_mark;
}

}  // namespace

void read_observers_section(ErrorCollector& errors, const Field& field, const std::string& base_dir,
                            const AggregatorConfig& aggregator, bool intervals_known,
                            std::vector<ObserverConfig>& out) {
  auto items = read_list(errors, field);
  if (!items) return;
  std::vector<SourceMark> name_marks;
  for (const auto& item : *items) {
    ObserverConfig observer;
    const auto name_mark = read_observer(errors, item, base_dir, aggregator, intervals_known, observer);
    if (!name_mark) continue;
    auto first = std::find_if(out.begin(), out.end(), [&](const auto& o) { return o.name == observer.name; });
    if (first != out.end()) {
      const SourceMark& first_mark = name_marks[static_cast<std::size_t>(first - out.begin())];
      errors.add(*name_mark, "duplicate observer name '" + observer.name + "' (first defined at " +
                                 first_mark.str() + ")");
      continue;
    }
    name_marks.push_back(*name_mark);
    out.push_back(std::move(observer));
  }
}

}  // namespace tickd::core
