// Declaring the keys of a plugin's `config:` block, after Fluent Bit's config
// maps: each key has a name, a type, a default or `required`, a range or the
// allowed values, and a one-line description.
//
//   static tickd::ConfigSchema config_schema() {
//     namespace s = tickd::schema;
//     return {
//         s::string("path", "Database file").default_value("tickd.db").non_empty(),
//         s::integer("batch_size", "Records per transaction").default_value(500).range(1, 100000),
//         s::duration("max_delay", "Longest wait before a partial batch is written").default_value("200ms"),
//         s::choice("format", {"text", "json"}, "Line format").default_value("text"),
//         s::list("symbols", s::string(), "Symbols to watch; empty: all"),
//     };
//   }
//
// The daemon checks the block against it before the plugin starts (and in
// `tickd --check-config`), reporting each problem at its file:line:column, and
// the plugin reads it through tickd::ConfigView (host.config_view()), whose
// getters cannot fail for a declared key. The JSON this produces is the ABI
// (tickd_plugin_api.config_schema); its format is in docs/WRITING_PLUGINS.md.
#pragma once

#include <tickd/duration.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace tickd {

// The version of the schema JSON format, written as "tickd_config_schema".
constexpr int kConfigSchemaFormat = 1;

// One key of an object, or the type of a list's items or a map's values (a
// node without a name).
class ConfigKey {
 public:
  ConfigKey(std::string type, std::string name, std::string description) {
    node_["type"] = std::move(type);
    if (!name.empty()) node_["name"] = std::move(name);
    if (!description.empty()) node_["description"] = std::move(description);
  }

  // The key must be present (no default).
  ConfigKey& required() {
    node_["required"] = true;
    return *this;
  }
  // Written as it would be in the YAML: a duration as "1s", a choice as its name.
  ConfigKey& default_value(nlohmann::json value) {
    node_["default"] = std::move(value);
    return *this;
  }
  // Inclusive bounds: integer and number values, durations ("1ms", "10m"), string
  // lengths, list lengths.
  ConfigKey& min(const nlohmann::json& value) {
    node_["min"] = bound(value);
    return *this;
  }
  ConfigKey& max(const nlohmann::json& value) {
    node_["max"] = bound(value);
    return *this;
  }
  ConfigKey& range(const nlohmann::json& low, const nlohmann::json& high) { return min(low).max(high); }
  // Exclusive bounds of a number: above(0) for "a positive number".
  ConfigKey& above(double value) {
    node_["min"] = value;
    node_["exclusive_min"] = true;
    return *this;
  }
  ConfigKey& below(double value) {
    node_["max"] = value;
    node_["exclusive_max"] = true;
    return *this;
  }
  // A string or list that must not be empty.
  ConfigKey& non_empty() { return min(1); }

  const nlohmann::json& json() const { return node_; }
  nlohmann::json& json() { return node_; }

 private:
  nlohmann::json bound(const nlohmann::json& value) const {
    if (node_["type"] == "duration" && value.is_string()) {
      auto ms = parse_duration_ms(value.get<std::string>());
      if (!ms) throw std::logic_error("config schema: bad duration bound " + value.dump());
      return *ms;
    }
    return value;
  }

  nlohmann::json node_ = nlohmann::json::object();
};

// One shape of a discriminated object: when the tag key (e.g. `type:`) names
// this variant, these are the object's other keys.
struct ConfigVariant {
  std::string name;
  std::string description;
  std::vector<ConfigKey> keys;
};

// The keys of a plugin's `config:` block.
class ConfigSchema {
 public:
  ConfigSchema() = default;
  ConfigSchema(std::initializer_list<ConfigKey> keys) : keys_(keys) {}

  ConfigSchema& add(ConfigKey key) {
    keys_.push_back(std::move(key));
    return *this;
  }
  const std::vector<ConfigKey>& keys() const { return keys_; }

  nlohmann::json to_json() const {
    nlohmann::json out = {{"tickd_config_schema", kConfigSchemaFormat}, {"type", "object"}};
    out["keys"] = nlohmann::json::array();
    for (const auto& k : keys_) out["keys"].push_back(k.json());
    return out;
  }
  std::string dump() const { return to_json().dump(); }

 private:
  std::vector<ConfigKey> keys_;
};

// The key builders. Each type has a named form (a key of an object) and an
// unnamed one (a list's items, a map's values).
namespace schema {

namespace detail {
inline nlohmann::json keys_json(const std::vector<ConfigKey>& keys) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& k : keys) out.push_back(k.json());
  return out;
}
inline ConfigKey with(ConfigKey key, const char* field, nlohmann::json value) {
  key.json()[field] = std::move(value);
  return key;
}
}  // namespace detail

inline ConfigKey string(std::string name, std::string description) {
  return ConfigKey("string", std::move(name), std::move(description));
}
inline ConfigKey string() { return ConfigKey("string", "", ""); }

inline ConfigKey integer(std::string name, std::string description) {
  return ConfigKey("integer", std::move(name), std::move(description));
}
inline ConfigKey integer() { return ConfigKey("integer", "", ""); }

inline ConfigKey number(std::string name, std::string description) {
  return ConfigKey("number", std::move(name), std::move(description));
}
inline ConfigKey number() { return ConfigKey("number", "", ""); }

inline ConfigKey boolean(std::string name, std::string description) {
  return ConfigKey("boolean", std::move(name), std::move(description));
}

// "250ms", "30s", "5m", "1h", "1d" or a number of seconds (tickd/duration.hpp).
inline ConfigKey duration(std::string name, std::string description) {
  return ConfigKey("duration", std::move(name), std::move(description));
}
inline ConfigKey duration() { return ConfigKey("duration", "", ""); }

// One of a fixed set of words.
inline ConfigKey choice(std::string name, std::vector<std::string> values, std::string description) {
  return detail::with(ConfigKey("choice", std::move(name), std::move(description)), "values", values);
}
inline ConfigKey choice(std::vector<std::string> values) {
  return detail::with(ConfigKey("choice", "", ""), "values", values);
}

// A list whose items all have the type `item`. Absent or empty YAML reads as [].
inline ConfigKey list(std::string name, const ConfigKey& item, std::string description) {
  return detail::with(ConfigKey("list", std::move(name), std::move(description)), "items", item.json());
}
inline ConfigKey list(const ConfigKey& item) {
  return detail::with(ConfigKey("list", "", ""), "items", item.json());
}

// A nested mapping with declared keys.
inline ConfigKey object(std::string name, const std::vector<ConfigKey>& keys, std::string description) {
  return detail::with(ConfigKey("object", std::move(name), std::move(description)), "keys",
                      detail::keys_json(keys));
}
inline ConfigKey object(const std::vector<ConfigKey>& keys) {
  return detail::with(ConfigKey("object", "", ""), "keys", detail::keys_json(keys));
}

// A mapping with keys of the user's choosing (e.g. mail headers), each value of type `value`.
inline ConfigKey map(std::string name, const ConfigKey& value, std::string description) {
  return detail::with(ConfigKey("map", std::move(name), std::move(description)), "values", value.json());
}

// Anything at all, handed to the plugin as it was written (with ${ENV} substituted).
inline ConfigKey any(std::string name, std::string description) {
  return ConfigKey("any", std::move(name), std::move(description));
}

// A mapping whose `tag` key (e.g. "type") selects which keys it may have.
inline ConfigKey variants(std::string name, std::string tag, const std::vector<ConfigVariant>& variants,
                          std::string description) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& v : variants)
    list.push_back({{"name", v.name}, {"description", v.description}, {"keys", detail::keys_json(v.keys)}});
  auto key =
      detail::with(ConfigKey("variant", std::move(name), std::move(description)), "tag", std::move(tag));
  key.json()["variants"] = std::move(list);
  return key;
}
inline ConfigKey variants(std::string tag, const std::vector<ConfigVariant>& list) {
  return variants("", std::move(tag), list, "");
}

}  // namespace schema
}  // namespace tickd
