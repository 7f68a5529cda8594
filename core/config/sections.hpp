// The readers of the top-level sections, one file each. Internal to the loader.
#pragma once

#include "config/config.hpp"
#include "config/yaml_reader.hpp"

#include <optional>
#include <string>

namespace tickd::core {

// Relative paths in the config are relative to the config file's folder, not to
// the daemon's working directory.
std::string resolve_path(const std::string& base_dir, const std::string& path);

void read_daemon_section(ErrorCollector& errors, const Field& field, const std::string& base_dir,
                         DaemonConfig& out);
void read_feed_section(ErrorCollector& errors, const Field& field, const std::string& base_dir,
                       FeedConfig& out);
// Returns false when the intervals could not be read, so that observers do not
// report every interval as missing from them.
bool read_aggregator_section(ErrorCollector& errors, const Field& field, const std::string& base_dir,
                             AggregatorConfig& out);
// "HH:MM" as minutes after midnight.
std::optional<int> parse_clock(const std::string& text);
// aggregator.session.calendar: the holidays and special sessions of FILE.
void read_calendar_file(ErrorCollector& errors, const Field& field, const std::string& base_dir,
                        SessionConfig& out);
void read_observers_section(ErrorCollector& errors, const Field& field, const std::string& base_dir,
                            const AggregatorConfig& aggregator, bool intervals_known,
                            std::vector<ObserverConfig>& out);
// An observer's `process:` block; `cwd` defaults to base_dir.
void read_process_block(ErrorCollector& errors, const Field& field, const std::string& base_dir,
                        ProcessConfig& out);

}  // namespace tickd::core
