#include "config/sections.hpp"

#include <filesystem>

namespace tickd::core {

namespace {

// "host:port" with a numeric port; the host part is checked when binding.
bool valid_listen_address(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  const std::string port = text.substr(colon + 1);
  if (port.size() > 5) return false;
  for (char c : port)
    if (c < '0' || c > '9') return false;
  const int number = std::stoi(port);
  return number >= 1 && number <= 65535;
}

}  // namespace

std::string resolve_path(const std::string& base_dir, const std::string& path) {
  const std::filesystem::path p(path);
  if (p.is_absolute() || base_dir.empty()) return path;
  return (std::filesystem::path(base_dir) / p).lexically_normal().string();
}

void read_daemon_section(ErrorCollector& errors, const Field& field, const std::string& base_dir,
                         DaemonConfig& out) {
  const MapReader map(errors, field,
                      {"log_level", "plugin_dirs", "shutdown_timeout", "admin_listen", "warmup_timeout"});
  if (auto f = map.get("log_level")) {
    static const std::vector<std::string_view> levels{"trace", "debug", "info", "warn", "error"};
    if (auto i = read_choice(errors, *f, levels)) out.log_level = std::string(levels[*i]);
  }
  if (auto f = map.get("plugin_dirs")) {
    if (auto dirs = read_string_list(errors, *f)) {
      out.plugin_dirs.clear();
      for (const auto& dir : *dirs) out.plugin_dirs.push_back(resolve_path(base_dir, dir));
    }
  }
  if (auto f = map.get("shutdown_timeout")) {
    if (auto ms = read_duration_ms(errors, *f)) out.shutdown_timeout_s = static_cast<double>(*ms) / 1000.0;
  }
  if (auto f = map.get("warmup_timeout")) {
    if (auto ms = read_duration_ms(errors, *f)) out.warmup_timeout_s = static_cast<double>(*ms) / 1000.0;
  }
  if (auto f = map.get("admin_listen")) {
    if (auto text = read_string(errors, *f)) {
      if (text->empty() || valid_listen_address(*text)) {
        out.admin_listen = *text;
      } else {
        errors.add(f->mark, "'" + f->path + "' must be host:port (port 1-65535), got '" + *text + "'");
      }
    }
  }
}

}  // namespace tickd::core
