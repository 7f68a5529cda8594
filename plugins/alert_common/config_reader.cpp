#include "alert_common/config_reader.hpp"

#include "alert_common/duration.hpp"

#include <algorithm>
#include <stdexcept>

namespace tickd::alerts {

using nlohmann::json;

ConfigReader::ConfigReader(const json& node, std::string where) : node_(node), where_(std::move(where)) {
  if (!node.is_object()) fail("must be a mapping");
}

void ConfigReader::fail(const std::string& what) const { throw std::invalid_argument(where_ + what); }

std::string ConfigReader::string(const char* key, std::optional<std::string> fallback) const {
  if (!has(key)) {
    if (fallback) return *fallback;
    fail(std::string("missing '") + key + "'");
  }
  if (!at(key).is_string()) fail(std::string("'") + key + "' must be a string");
  return at(key).get<std::string>();
}

double ConfigReader::number(const char* key, double lo) const {
  if (!at(key).is_number() || !(at(key).get<double>() > lo))
    fail(std::string("'") + key + "' must be a number above " + json(lo).dump() + ", got " + at(key).dump());
  return at(key).get<double>();
}

std::uint64_t ConfigReader::count(const char* key, std::uint64_t fallback, std::uint64_t lo,
                                  std::uint64_t hi) const {
  return static_cast<std::uint64_t>(integer(key, static_cast<std::int64_t>(fallback),
                                            static_cast<std::int64_t>(lo), static_cast<std::int64_t>(hi)));
}

std::int64_t ConfigReader::integer(const char* key, std::int64_t fallback, std::int64_t lo,
                                   std::int64_t hi) const {
  if (!has(key)) return fallback;
  const json& v = at(key);
  if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
    fail(std::string("'") + key + "' must be an integer from " + std::to_string(lo) + " to " +
         std::to_string(hi) + ", got " + v.dump());
  return v.get<std::int64_t>();
}

bool ConfigReader::boolean(const char* key, bool fallback) const {
  if (!has(key)) return fallback;
  if (!at(key).is_boolean()) fail(std::string("'") + key + "' must be true or false, got " + at(key).dump());
  return at(key).get<bool>();
}

std::int64_t ConfigReader::duration(const char* key, std::int64_t fallback) const {
  return has(key) ? parse_duration_ms(at(key), where_ + "'" + key + "'") : fallback;
}

std::vector<std::string> ConfigReader::strings(const char* key) const {
  std::vector<std::string> out;
  if (!has(key)) return out;
  const json& v = at(key);
  if (v.is_string()) return {v.get<std::string>()};
  if (!v.is_array()) fail(std::string("'") + key + "' must be a list of strings");
  for (const auto& item : v) {
    if (!item.is_string() || item.get<std::string>().empty())
      fail(std::string("'") + key + "' must contain only non-empty strings, got " + item.dump());
    out.push_back(item.get<std::string>());
  }
  return out;
}

void ConfigReader::only_keys(std::initializer_list<const char*> allowed) const {
  only_keys(std::vector<std::string>(allowed.begin(), allowed.end()));
}

void ConfigReader::only_keys(const std::vector<std::string>& allowed) const {
  for (const auto& item : node_.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
      std::string list;
      for (const auto& a : allowed) list += list.empty() ? a : ", " + a;
      fail("unknown key '" + item.key() + "' (allowed: " + list + ")");
    }
  }
}

}  // namespace tickd::alerts
