#include "config/config.hpp"

#include <utility>

namespace tickd::core {

namespace {

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) {
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

}  // namespace

std::string SourceMark::str() const {
  // Line 0 means the position is unknown; "file:0:0" would point nowhere.
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

SourceMark ConfigPositions::at(const std::string& pointer, bool key) const {
  if (key) {
    auto it = keys.find(pointer);
    if (it != keys.end()) return it->second;
  }
  for (std::string p = pointer;;) {
    auto it = values.find(p);
    if (it != values.end()) return it->second;
    if (p.empty()) return block;
    p.erase(p.rfind('/'));
  }
}

ConfigError::ConfigError(std::vector<std::string> errors)
    : std::runtime_error(join_lines(errors)), errors_(std::move(errors)) {}

}  // namespace tickd::core
