// An observer's `process:` block: how its child process is started and held to
// account (docs/PROCESS_OBSERVERS.md).
#include "config/sections.hpp"

#include <algorithm>
#include <cctype>

namespace tickd::core {

namespace {

bool is_env_name(const std::string& name) {
  return !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
         std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

void read_env(ErrorCollector& errors, const Field& field, ProcessConfig& out) {
  if (!field.node.IsNull() && !field.node.IsMap()) {
    errors.add(field.mark, "'" + field.path + "' must be a mapping of variable names to strings");
    return;
  }
  for (const auto& entry : map_entries(errors, field)) {
    if (!is_env_name(entry.key)) {
      errors.add(entry.key_mark, "'" + entry.value.path + "': '" + entry.key +
                                     "' is not an environment variable name (letters, digits, '_')");
      continue;
    }
    if (auto value = read_string(errors, entry.value)) out.env.emplace_back(entry.key, *value);
  }
}

void read_positive_duration(ErrorCollector& errors, const std::optional<Field>& f, std::int64_t& out) {
  if (!f) return;
  if (auto ms = read_duration_ms(errors, *f)) {
    if (*ms <= 0)
      errors.add(f->mark, "'" + f->path + "' must be more than 0");
    else
      out = *ms;
  }
}

}  // namespace

void read_process_block(ErrorCollector& errors, const Field& field, const std::string& base_dir,
                        ProcessConfig& out) {
  const MapReader map(errors, field,
                      {"command", "cwd", "env", "window", "ack_timeout", "start_timeout", "stop_timeout",
                       "memory_limit_mb", "max_line_bytes", "restart", "max_signals_per_second"});
  if (!map.is_map() && !field.node.IsNull()) return;
  if (auto f = map.get("command")) {
    if (auto words = read_string_list(errors, *f)) {
      if (words->empty())
        errors.add(f->mark, "'" + f->path + "' must name a program, e.g. [python3, -u, my_observer.py]");
      else
        out.command = std::move(*words);
    }
  }
  out.cwd = base_dir;
  if (auto f = map.get("cwd")) {
    if (auto cwd = read_string(errors, *f)) {
      if (cwd->empty())
        errors.add(f->mark, "'" + f->path + "' must not be empty");
      else
        out.cwd = resolve_path(base_dir, *cwd);
    }
  }
  if (auto f = map.get("env")) read_env(errors, *f, out);
  if (auto f = map.get("window")) {
    if (auto n = read_integer(errors, *f, 1, 1 << 20)) out.window = static_cast<std::uint32_t>(*n);
  }
  read_positive_duration(errors, map.get("ack_timeout"), out.ack_timeout_ms);
  read_positive_duration(errors, map.get("start_timeout"), out.start_timeout_ms);
  read_positive_duration(errors, map.get("stop_timeout"), out.stop_timeout_ms);
  if (auto f = map.get("memory_limit_mb")) {
    if (auto n = read_integer(errors, *f, 0, 1 << 24)) out.memory_limit_mb = static_cast<std::uint64_t>(*n);
  }
  if (auto f = map.get("max_line_bytes")) {
    // A line must hold a signal with its text; above 64 MiB a runaway child
    // could make the daemon hoard memory.
    if (auto n = read_integer(errors, *f, 1024, 64LL << 20))
      out.max_line_bytes = static_cast<std::uint32_t>(*n);
  }
  if (auto f = map.get("restart")) {
    const MapReader restart(errors, *f, {"initial", "max"});
    read_positive_duration(errors, restart.get("initial"), out.restart_initial_ms);
    read_positive_duration(errors, restart.get("max"), out.restart_max_ms);
    if (out.restart_max_ms < out.restart_initial_ms)
      errors.add(f->mark, "'" + child_path(f->path, "max") + "' must not be less than 'initial'");
  }
  if (auto f = map.get("max_signals_per_second")) {
    if (auto n = read_integer(errors, *f, 1, 1000000))
      out.max_signals_per_second = static_cast<std::uint32_t>(*n);
  }
}

}  // namespace tickd::core
