#include "storage_common/config_reader.hpp"

#include <stdexcept>
#include <utility>

namespace tickd::storage {

ConfigReader::ConfigReader(nlohmann::json config, std::string plugin)
    : config_(std::move(config)), plugin_(std::move(plugin)) {
  if (config_.is_null()) config_ = nlohmann::json::object();
  if (!config_.is_object()) throw std::runtime_error(plugin_ + " config must be a mapping of keys to values");
}

void ConfigReader::fail(const std::string& key, const std::string& expected) const {
  throw std::runtime_error(plugin_ + " config: '" + key + "' must be " + expected + ", got " +
                           config_.at(key).dump());
}

std::string ConfigReader::string(const std::string& key, const std::string& fallback) {
  known_.insert(key);
  auto it = config_.find(key);
  if (it == config_.end()) return fallback;
  if (!it->is_string()) fail(key, "a string");
  return it->get<std::string>();
}

std::int64_t ConfigReader::integer(const std::string& key, std::int64_t fallback, std::int64_t min,
                                   std::int64_t max) {
  known_.insert(key);
  auto it = config_.find(key);
  if (it == config_.end()) return fallback;
  const std::string expected = "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  if (!it->is_number_integer()) fail(key, expected);
  // Unsigned JSON numbers above int64 max are out of range anyway.
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(max))
    fail(key, expected);
  const auto value = it->get<std::int64_t>();
  if (value < min || value > max) fail(key, expected);
  return value;
}

bool ConfigReader::boolean(const std::string& key, bool fallback) {
  known_.insert(key);
  auto it = config_.find(key);
  if (it == config_.end()) return fallback;
  if (!it->is_boolean()) fail(key, "true or false");
  return it->get<bool>();
}

void ConfigReader::finish() const {
  for (const auto& item : config_.items()) {
    if (known_.count(item.key())) continue;
    std::string list;
    for (const auto& k : known_) list += (list.empty() ? "" : ", ") + k;
    throw std::runtime_error(plugin_ + " config: unknown key '" + item.key() + "' (known keys: " + list +
                             ")");
  }
}

}  // namespace tickd::storage
