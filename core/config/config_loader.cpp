#include "config/config_loader.hpp"

#include "config/sections.hpp"
#include "config/yaml_reader.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tickd::core {

namespace {

// A section that is absent reads as empty, with errors about it placed at the
// top of the file.
Field section(ErrorCollector& errors, const MapReader& root, std::string_view name) {
  if (auto f = root.get(name)) return *f;
  return Field{YAML::Node(), errors.start(), std::string(name)};
}

}  // namespace

Config load_config_text(std::string_view yaml, const std::string& source_name, const std::string& base_dir) {
  ErrorCollector errors(source_name);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    const SourceMark at =
        e.mark.is_null() ? errors.start() : SourceMark{source_name, e.mark.line + 1, e.mark.column + 1};
    throw ConfigError({at.str() + ": malformed YAML: " + e.msg});
  }

  Config config;
  config.source = source_name;
  config.base_dir = base_dir;
  const MapReader map(errors, Field{root, errors.start(), ""}, {"daemon", "feed", "aggregator", "observers"});
  // Every section would only repeat that the document is not a mapping.
  if (!map.is_map() && !root.IsNull()) throw ConfigError(errors.lines());
  read_daemon_section(errors, section(errors, map, "daemon"), base_dir, config.daemon);
  read_feed_section(errors, section(errors, map, "feed"), base_dir, config.feed);
  const bool intervals_known =
      read_aggregator_section(errors, section(errors, map, "aggregator"), config.base_dir, config.aggregator);
  read_observers_section(errors, section(errors, map, "observers"), base_dir, config.aggregator,
                         intervals_known, config.observers);
  if (!errors.empty()) throw ConfigError(errors.lines());
  return config;
}

Config load_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError({path + ": cannot open config file: " + std::strerror(errno)});
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ConfigError({path + ": cannot read config file: " + std::strerror(errno)});
  // Absolute, so that resolved paths survive a later change of working directory.
  std::error_code ec;
  std::filesystem::path folder = std::filesystem::absolute(std::filesystem::path(path), ec).parent_path();
  if (ec) folder = std::filesystem::path(path).parent_path();
  return load_config_text(text.str(), path, folder.lexically_normal().string());
}

}  // namespace tickd::core
