// Typed reads of a notifier plugin's `config:` block (or one mapping inside
// it) with defaults and range checks; every error names the key, prefixed
// with where the mapping is ("rules[2] (\"fast\"): ..."). Until the SDK's
// declared config schema replaces it, this is the one reader the notifier
// plugins (email_alert, webhook, telegram, json_snapshot) share.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace tickd::alerts {

class ConfigReader {
 public:
  // Throws std::invalid_argument "<where>must be a mapping" when `node` is not an object.
  ConfigReader(const nlohmann::json& node, std::string where);

  [[noreturn]] void fail(const std::string& what) const;
  bool has(const char* key) const { return node_.contains(key); }
  const nlohmann::json& at(const char* key) const { return node_.at(key); }
  const std::string& where() const { return where_; }

  // Without a fallback the key is required.
  std::string string(const char* key, std::optional<std::string> fallback = std::nullopt) const;
  // A number strictly above `lo`.
  double number(const char* key, double lo) const;
  std::uint64_t count(const char* key, std::uint64_t fallback, std::uint64_t lo, std::uint64_t hi) const;
  std::int64_t integer(const char* key, std::int64_t fallback, std::int64_t lo, std::int64_t hi) const;
  bool boolean(const char* key, bool fallback) const;
  // Milliseconds, from "250ms", "30s", "5m", "1h", "1d" or a number of seconds.
  std::int64_t duration(const char* key, std::int64_t fallback) const;
  // A list of non-empty strings; a single string is a list of one.
  std::vector<std::string> strings(const char* key) const;
  // Throws for any key not in `allowed`, listing the allowed ones.
  void only_keys(std::initializer_list<const char*> allowed) const;
  void only_keys(const std::vector<std::string>& allowed) const;

 private:
  const nlohmann::json& node_;
  std::string where_;
};

}  // namespace tickd::alerts
