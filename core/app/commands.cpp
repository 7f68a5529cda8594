#include "app/commands.hpp"

#include "app/daemon.hpp"
#include "app/stats_command.hpp"
#include "config/config_loader.hpp"
#include "feed/indian_broker/instrument_names.hpp"
#include "plugin/plugin_config_check.hpp"
#include "plugin/plugin_library.hpp"
#include "plugin/plugin_locator.hpp"
#include "plugin/schema_description.hpp"
#include "process/child_process.hpp"
#include "process/process_loader.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>

namespace tickd::core {

namespace {
constexpr const char* kUsage =
    "usage: tickd [--config FILE]        run the daemon (default: the embedded config)\n"
    "       tickd --check-config [FILE]  validate a config, load each enabled observer's plugin and\n"
    "                                    check its config block; print a summary (exit 1 on errors)\n"
    "       tickd --list-plugins [--config FILE]\n"
    "                                    list the plugins found, with name, version and ABI\n"
    "                                    (exit 1 when one cannot be loaded)\n"
    "       tickd --describe-plugin NAME [--markdown] [--config FILE]\n"
    "                                    print a plugin's config keys: types, defaults, descriptions\n"
    "       tickd stats [--config FILE]  print a running daemon's figures (from daemon.admin_listen)\n"
    "       tickd --version\n";

void setup_logging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("tickd");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ [%n] %v", spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

Config load(const std::optional<std::string>& path) {
  if (path) return load_config_file(*path);
  return load_config_text(embedded_default_config(), "<embedded>", ".");
}

std::vector<std::string> plugin_dirs_of(const Config& config) {
  return config.daemon.plugin_dirs.empty() ? default_plugin_dirs() : config.daemon.plugin_dirs;
}

// Unknown plugins and programs are configuration errors too, reported at
// their YAML position.
std::vector<std::string> check_plugins(const Config& config) {
  std::vector<std::string> errors;
  auto dirs = plugin_dirs_of(config);
  for (const auto& o : config.observers) {
    if (o.runs_as_process() && !o.process->command.empty()) {
      std::string path = "/usr/local/bin:/usr/bin:/bin", error;
      for (const auto& var : child_environment(o))
        if (var.rfind("PATH=", 0) == 0) path = var.substr(5);
      if (!resolve_program(o.process->command.front(), o.process->cwd, path, error))
        errors.push_back(o.process_mark.str() + ": observer '" + o.name + "': " + error);
    } else if (!find_plugin(o.plugin, dirs)) {
      errors.push_back(o.plugin_mark.str() + ": unknown plugin '" + o.plugin + "' for observer '" + o.name +
                       "'");
    }
  }
  return errors;
}

int list_plugins(const Config& config) {
  auto dirs = plugin_dirs_of(config);
  auto files = list_plugin_files(dirs);
  if (files.empty()) {
    std::cout << "no plugins found in:";
    for (auto& d : dirs) std::cout << ' ' << d;
    std::cout << '\n';
    return 1;
  }
  int status = 0;
  for (const auto& f : files) {
    try {
      auto lib = PluginLibrary::load(f);
      const auto& api = lib->api();
      std::printf("%-14s %-8s ABI %-5s %s\n    %s\n", api.name, api.version,
                  abi_version_string(lib->abi_version()).c_str(), api.description, f.c_str());
    } catch (const std::exception& e) {
      std::printf("error: %s\n", e.what());
      status = 1;
    }
  }
  return status;
}

int describe_plugin(const Config& config, const std::string& name, bool markdown) {
  auto dirs = plugin_dirs_of(config);
  auto path = find_plugin(name, dirs);
  if (!path) {
    std::cerr << "tickd: no plugin '" << name << "' in";
    for (auto& d : dirs) std::cerr << ' ' << d;
    std::cerr << '\n';
    return 1;
  }
  try {
    auto lib = PluginLibrary::load(*path);
    const auto& api = lib->api();
    auto schema = plugin_config_schema(*lib);
    if (markdown) {
      if (!schema) {
        std::cerr << "tickd: plugin '" << name << "' declares no config schema\n";
        return 1;
      }
      std::cout << schema_table_markdown(describe_schema(*schema));
      return 0;
    }
    std::printf("%s %s (ABI %s): %s\n  %s\n\n", api.name, api.version,
                abi_version_string(lib->abi_version()).c_str(), api.description, path->c_str());
    if (!schema)
      std::cout << "config: not declared (the plugin reads its config: block itself)\n";
    else
      std::cout << "config:\n" << schema_table_text(describe_schema(*schema));
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "tickd: " << e.what() << '\n';
    return 1;
  }
}
}  // namespace

int run_command_line(int argc, char** argv) {
  enum class Mode { run, check, list, describe, stats, version } mode = Mode::run;
  std::optional<std::string> config_path;
  std::string describe_name;
  bool markdown = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    bool has_value = i + 1 < argc && argv[i + 1][0] != '-';
    if (arg == "--config" || arg == "-c") {
      if (!has_value) {
        std::cerr << "tickd: --config needs a file\n" << kUsage;
        return 2;
      }
      config_path = argv[++i];
    } else if (arg == "--check-config") {
      mode = Mode::check;
      if (has_value) config_path = argv[++i];
    } else if (arg == "stats" || arg == "--stats") {
      mode = Mode::stats;
    } else if (arg == "--list-plugins") {
      mode = Mode::list;
    } else if (arg == "--describe-plugin") {
      if (!has_value) {
        std::cerr << "tickd: --describe-plugin needs a plugin name\n" << kUsage;
        return 2;
      }
      mode = Mode::describe;
      describe_name = argv[++i];
    } else if (arg == "--markdown") {
      markdown = true;
    } else if (arg == "--version" || arg == "-V") {
      mode = Mode::version;
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else {
      std::cerr << "tickd: unknown argument '" << arg << "'\n" << kUsage;
      return 2;
    }
  }
  if (mode == Mode::version) {
    std::cout << "tickd " << TICKD_VERSION << " (plugin ABI " << abi_version_string(TICKD_ABI_VERSION)
              << ")\n";
    return 0;
  }
  Config config;
  try {
    config = load(config_path);
    if (mode == Mode::run || mode == Mode::check) {
      auto errors = check_plugins(config);
      if (mode == Mode::check)
        for (auto& e : check_observer_plugins(config, plugin_dirs_of(config))) errors.push_back(std::move(e));
      if (!errors.empty()) throw ConfigError(errors);
    }
  } catch (const ConfigError& e) {
    std::cerr << e.what() << '\n';
    return 1;
  }
  setup_logging(config.daemon.log_level);
  if (mode == Mode::run || mode == Mode::check) {
    // Broker instruments given by name: the instrument master (download or
    // cache) turns them into tokens; a name it lacks is a config error.
    const auto errors = resolve_instrument_names(config.feed, Feed::wall_clock_ms());
    if (!errors.empty()) {
      std::cerr << ConfigError(errors).what() << '\n';
      return 1;
    }
  }
  switch (mode) {
    case Mode::check:
      std::cout << summarize(config) << "configuration OK\n";
      return 0;
    case Mode::list:
      return list_plugins(config);
    case Mode::describe:
      return describe_plugin(config, describe_name, markdown);
    case Mode::stats:
      return print_stats(config.daemon.admin_listen.empty() ? "127.0.0.1:9100" : config.daemon.admin_listen);
    default:
      break;
  }
  spdlog::info("tickd {} starting with {}", TICKD_VERSION, config.source);
  return Daemon(std::move(config), config_path.value_or("")).run();
}

}  // namespace tickd::core
