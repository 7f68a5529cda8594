// Typed reads of a plugin's `config:` block with defaults and range checks, and
// a final check that rejects unknown keys (a typo must not silently fall back
// to a default).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <set>
#include <string>

namespace tickd::storage {

class ConfigReader {
 public:
  // Throws std::runtime_error when `config` is not an object.
  ConfigReader(nlohmann::json config, std::string plugin);

  std::string string(const std::string& key, const std::string& fallback);
  std::int64_t integer(const std::string& key, std::int64_t fallback, std::int64_t min, std::int64_t max);
  bool boolean(const std::string& key, bool fallback);

  // Throws when the block has a key no read above asked for, listing the known keys.
  void finish() const;

 private:
  [[noreturn]] void fail(const std::string& key, const std::string& expected) const;

  nlohmann::json config_;
  std::string plugin_;
  std::set<std::string> known_;
};

}  // namespace tickd::storage
