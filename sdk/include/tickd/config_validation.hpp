// Checking a `config:` block against a plugin's schema (tickd/config_schema.hpp).
//
// The daemon runs this before a plugin starts, mapping each problem's JSON
// pointer back to its YAML file:line:column; the SDK runs it again inside the
// plugin (so FakeHost tests see the same checks). Both get the block
// normalized, and normalizing a normalized block changes nothing:
// - absent keys with a default get it; absent objects get their defaults;
// - durations become "<milliseconds>ms";
// - a value written as text where a number or boolean is declared (as
//   `${ENV}` substitution always produces) becomes that number or boolean,
//   and an integer where text is declared becomes its digits.
#pragma once

#include <tickd/did_you_mean.hpp>
#include <tickd/duration.hpp>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tickd {

struct ConfigProblem {
  std::string pointer;  // JSON pointer of the value; for a missing key, of its object
  bool at_key = false;  // an unknown key: the key's own position is the one to show
  std::string message;  // names the key with its full path, e.g. "'config.port' must be ..."
};

struct ValidatedConfig {
  nlohmann::json value;
  std::vector<ConfigProblem> problems;
  bool ok() const { return problems.empty(); }
  // "message; message; ..." for an exception text.
  std::string summary() const {
    std::string out;
    for (const auto& p : problems) out += (out.empty() ? "" : "; ") + p.message;
    return out;
  }
};

namespace detail {

inline std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

inline std::string shown(const nlohmann::json& v) {
  if (v.is_null()) return "nothing";
  if (v.is_object()) return "a mapping";
  if (v.is_array()) return "a list";
  if (v.is_string()) return "'" + v.get<std::string>() + "'";
  return v.dump();
}

inline std::string number_text(double x) {
  if (x == std::floor(x) && std::fabs(x) < 1e15) return std::to_string(static_cast<long long>(x));
  std::string s = nlohmann::json(x).dump();
  return s;
}

class ConfigValidator {
 public:
  explicit ConfigValidator(std::vector<ConfigProblem>& problems) : problems_(problems) {}

  nlohmann::json check(const nlohmann::json& type, const nlohmann::json& value, const std::string& ptr,
                       const std::string& path) {
    const std::string kind = type.value("type", "any");
    if (kind == "string") return check_string(type, value, ptr, path);
    if (kind == "integer") return check_integer(type, value, ptr, path);
    if (kind == "number") return check_number(type, value, ptr, path);
    if (kind == "boolean") return check_boolean(value, ptr, path);
    if (kind == "duration") return check_duration(type, value, ptr, path);
    if (kind == "choice") return check_choice(type, value, ptr, path);
    if (kind == "list") return check_list(type, value, ptr, path);
    if (kind == "object")
      return check_object(type.value("keys", nlohmann::json::array()), value, ptr, path, "");
    if (kind == "map") return check_map(type, value, ptr, path);
    if (kind == "variant") return check_variant(type, value, ptr, path);
    if (kind != "any") add(ptr, "'" + path + "' has the unknown schema type '" + kind + "' (a plugin bug)");
    return value;
  }

 private:
  void add(const std::string& ptr, std::string message, bool at_key = false) {
    problems_.push_back(ConfigProblem{ptr, at_key, std::move(message)});
  }
  nlohmann::json must_be(const std::string& ptr, const std::string& path, const std::string& rule,
                         const nlohmann::json& value) {
    add(ptr, "'" + path + "' must be " + rule + ", got " + shown(value));
    return nullptr;
  }

  nlohmann::json check_string(const nlohmann::json& type, const nlohmann::json& value, const std::string& ptr,
                              const std::string& path) {
    std::string text;
    if (value.is_string())
      text = value.get<std::string>();
    else if (value.is_number_integer())
      text = value.dump();
    else
      return must_be(ptr, path, "a string", value);
    const auto min = type.value("min", std::int64_t{0});
    const auto max = type.value("max", std::numeric_limits<std::int64_t>::max());
    if (static_cast<std::int64_t>(text.size()) < min) {
      add(ptr, "'" + path + "' must not be empty" +
                   (min > 1 ? std::string(" (at least ") + std::to_string(min) + " characters)" : ""));
      return nullptr;
    }
    if (static_cast<std::int64_t>(text.size()) > max) {
      add(ptr, "'" + path + "' must be at most " + std::to_string(max) + " characters long");
      return nullptr;
    }
    return text;
  }

  static std::optional<std::int64_t> integer_of(const nlohmann::json& value) {
    if (value.is_number_unsigned()) {
      if (value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return std::nullopt;
      return static_cast<std::int64_t>(value.get<std::uint64_t>());
    }
    if (value.is_number_integer()) return value.get<std::int64_t>();
    if (!value.is_string()) return std::nullopt;
    const std::string text = value.get<std::string>();
    std::size_t i = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
    if (i == text.size()) return std::nullopt;
    for (std::size_t j = i; j < text.size(); ++j)
      if (text[j] < '0' || text[j] > '9') return std::nullopt;
    errno = 0;
    const long long n = std::strtoll(text.c_str(), nullptr, 10);
    if (errno != 0) return std::nullopt;
    return static_cast<std::int64_t>(n);
  }

  static std::string integer_rule(const nlohmann::json& type) {
    const bool lo = type.contains("min"), hi = type.contains("max");
    if (lo && hi) return "an integer from " + type["min"].dump() + " to " + type["max"].dump();
    if (lo) return "an integer of at least " + type["min"].dump();
    if (hi) return "an integer of at most " + type["max"].dump();
    return "an integer";
  }

  nlohmann::json check_integer(const nlohmann::json& type, const nlohmann::json& value,
                               const std::string& ptr, const std::string& path) {
    auto n = integer_of(value);
    if (!n || (type.contains("min") && *n < type["min"].get<std::int64_t>()) ||
        (type.contains("max") && *n > type["max"].get<std::int64_t>()))
      return must_be(ptr, path, integer_rule(type), value);
    return *n;
  }

  static std::string number_rule(const nlohmann::json& type) {
    std::string lo, hi;
    if (type.contains("min"))
      lo = (type.value("exclusive_min", false) ? "above " : "at least ") +
           number_text(type["min"].get<double>());
    if (type.contains("max"))
      hi = (type.value("exclusive_max", false) ? "below " : "at most ") +
           number_text(type["max"].get<double>());
    if (lo.empty() && hi.empty()) return "a number";
    if (!lo.empty() && !hi.empty()) return "a number " + lo + " and " + hi;
    return "a number " + lo + hi;
  }

  nlohmann::json check_number(const nlohmann::json& type, const nlohmann::json& value, const std::string& ptr,
                              const std::string& path) {
    double x = NAN;
    if (value.is_number()) {
      x = value.get<double>();
    } else if (value.is_string()) {
      const std::string text = value.get<std::string>();
      char* end = nullptr;
      if (!text.empty() && !std::isspace(static_cast<unsigned char>(text[0]))) {
        const double parsed = std::strtod(text.c_str(), &end);
        if (end && *end == '\0') x = parsed;
      }
    }
    bool ok = std::isfinite(x);
    if (ok && type.contains("min")) {
      const double lo = type["min"].get<double>();
      ok = type.value("exclusive_min", false) ? x > lo : x >= lo;
    }
    if (ok && type.contains("max")) {
      const double hi = type["max"].get<double>();
      ok = type.value("exclusive_max", false) ? x < hi : x <= hi;
    }
    if (!ok) return must_be(ptr, path, number_rule(type), value);
    return x;
  }

  nlohmann::json check_boolean(const nlohmann::json& value, const std::string& ptr, const std::string& path) {
    if (value.is_boolean()) return value;
    if (value.is_string()) {
      const std::string t = value.get<std::string>();
      if (t == "true" || t == "True" || t == "TRUE") return true;
      if (t == "false" || t == "False" || t == "FALSE") return false;
    }
    return must_be(ptr, path, "true or false", value);
  }

  nlohmann::json check_duration(const nlohmann::json& type, const nlohmann::json& value,
                                const std::string& ptr, const std::string& path) {
    std::optional<std::int64_t> ms;
    if (value.is_number()) {
      const double seconds = value.get<double>();
      if (seconds >= 0 && seconds * 1000 <= static_cast<double>(kMaxDurationMs))
        ms = static_cast<std::int64_t>(std::llround(seconds * 1000));
    } else if (value.is_string()) {
      ms = parse_duration_ms(value.get<std::string>());
    }
    std::string rule = "a duration such as 250ms, 30s, 5m, 1h, 1d or a number of seconds";
    const bool lo = type.contains("min"), hi = type.contains("max");
    if (lo && hi)
      rule = "a duration from " + format_duration(type["min"]) + " to " + format_duration(type["max"]);
    else if (lo)
      rule = "a duration of at least " + format_duration(type["min"]);
    else if (hi)
      rule = "a duration of at most " + format_duration(type["max"]);
    if (!ms || (lo && *ms < type["min"].get<std::int64_t>()) || (hi && *ms > type["max"].get<std::int64_t>()))
      return must_be(ptr, path, rule, value);
    return std::to_string(*ms) + "ms";
  }

  nlohmann::json check_choice(const nlohmann::json& type, const nlohmann::json& value, const std::string& ptr,
                              const std::string& path) {
    std::vector<std::string> values = type.value("values", std::vector<std::string>{});
    std::vector<std::string_view> views(values.begin(), values.end());
    std::string rule = "one of ";
    for (std::size_t i = 0; i < values.size(); ++i) rule += (i ? ", " : "") + values[i];
    if (value.is_string())
      for (const auto& v : values)
        if (v == value.get<std::string>()) return v;
    add(ptr, "'" + path + "' must be " + rule + ", got " + shown(value) +
                 (value.is_string() ? did_you_mean(value.get<std::string>(), views) : ""));
    return nullptr;
  }

  nlohmann::json check_list(const nlohmann::json& type, const nlohmann::json& value, const std::string& ptr,
                            const std::string& path) {
    if (value.is_null()) return check_list(type, nlohmann::json::array(), ptr, path);
    if (!value.is_array()) return must_be(ptr, path, "a list", value);
    const nlohmann::json item_type = type.value("items", nlohmann::json{{"type", "any"}});
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < value.size(); ++i)
      out.push_back(
          check(item_type, value[i], ptr + "/" + std::to_string(i), path + "[" + std::to_string(i) + "]"));
    const auto min = type.value("min", std::int64_t{0});
    if (static_cast<std::int64_t>(value.size()) < min)
      add(ptr, "'" + path + "' must list at least " + std::to_string(min) + (min == 1 ? " item" : " items"));
    if (type.contains("max") && static_cast<std::int64_t>(value.size()) > type["max"].get<std::int64_t>())
      add(ptr, "'" + path + "' must list at most " + type["max"].dump() + " items");
    return out;
  }

  nlohmann::json check_map(const nlohmann::json& type, const nlohmann::json& value, const std::string& ptr,
                           const std::string& path) {
    if (value.is_null()) return nlohmann::json::object();
    if (!value.is_object()) return must_be(ptr, path, "a mapping", value);
    const nlohmann::json value_type = type.value("values", nlohmann::json{{"type", "any"}});
    nlohmann::json out = nlohmann::json::object();
    for (const auto& item : value.items())
      out[item.key()] =
          check(value_type, item.value(), ptr + "/" + pointer_token(item.key()), path + "." + item.key());
    return out;
  }

  // `extra_key` is the variant's tag, allowed beside the declared keys.
  nlohmann::json check_object(const nlohmann::json& keys, const nlohmann::json& value, const std::string& ptr,
                              const std::string& path, const std::string& extra_key,
                              const std::string& context = "") {
    if (value.is_null()) return check_object(keys, nlohmann::json::object(), ptr, path, extra_key, context);
    if (!value.is_object()) return must_be(ptr, path, "a mapping", value);
    std::vector<std::string> names;
    for (const auto& k : keys) names.push_back(k.value("name", ""));
    if (!extra_key.empty()) names.push_back(extra_key);
    const std::vector<std::string_view> views(names.begin(), names.end());
    nlohmann::json out = nlohmann::json::object();
    for (const auto& item : value.items()) {
      bool known = false;
      for (const auto& n : names) known = known || n == item.key();
      if (!known) {
        std::string where = path.empty() ? "" : " in '" + path + "'";
        add(ptr + "/" + pointer_token(item.key()),
            "unknown key '" + item.key() + "'" + where + context + did_you_mean(item.key(), views), true);
      }
    }
    if (!extra_key.empty() && value.contains(extra_key)) out[extra_key] = value[extra_key];
    for (const auto& key : keys) {
      const std::string name = key.value("name", "");
      const std::string child_ptr = ptr + "/" + pointer_token(name);
      const std::string child_path = path.empty() ? name : path + "." + name;
      auto it = value.find(name);
      if (it != value.end()) {
        out[name] = check(key, *it, child_ptr, child_path);
      } else if (key.value("required", false)) {
        add(ptr, "'" + child_path + "' is required" + context);
      } else if (key.contains("default")) {
        std::vector<ConfigProblem> bad;
        ConfigValidator defaults(bad);
        out[name] = defaults.check(key, key["default"], child_ptr, child_path);
        for (auto& p : bad) add(ptr, "the default of " + p.message + " (a plugin bug)");
      } else if (key.value("type", "") == "object" || key.value("type", "") == "list" ||
                 key.value("type", "") == "map") {
        // An absent mapping or list reads as an empty one, with its defaults,
        // unless that leaves a required key out (then it stays absent).
        std::vector<ConfigProblem> bad;
        ConfigValidator empty(bad);
        auto filled = empty.check(key, nlohmann::json(), child_ptr, child_path);
        if (bad.empty()) out[name] = std::move(filled);
      }
    }
    return out;
  }

  nlohmann::json check_variant(const nlohmann::json& type, const nlohmann::json& value,
                               const std::string& ptr, const std::string& path) {
    if (!value.is_object()) return must_be(ptr, path, "a mapping", value);
    const std::string tag = type.value("tag", "type");
    const nlohmann::json variants = type.value("variants", nlohmann::json::array());
    std::vector<std::string> names;
    for (const auto& v : variants) names.push_back(v.value("name", ""));
    std::string rule = "one of ";
    for (std::size_t i = 0; i < names.size(); ++i) rule += (i ? ", " : "") + names[i];
    auto it = value.find(tag);
    const std::string tag_path = path + "." + tag;
    if (it == value.end()) {
      add(ptr, "'" + tag_path + "' is required (" + rule + ")");
      return nullptr;
    }
    for (const auto& v : variants) {
      if (it->is_string() && v.value("name", "") == it->get<std::string>())
        return check_object(v.value("keys", nlohmann::json::array()), value, ptr, path, tag,
                            " for " + tag + " " + v.value("name", ""));
    }
    const std::vector<std::string_view> views(names.begin(), names.end());
    add(ptr + "/" + pointer_token(tag),
        "'" + tag_path + "' must be " + rule + ", got " + shown(*it) +
            (it->is_string() ? did_you_mean(it->get<std::string>(), views) : ""));
    return nullptr;
  }

  static std::string format_duration(const nlohmann::json& ms) {
    return tickd::format_duration(ms.get<std::int64_t>());
  }

  std::vector<ConfigProblem>& problems_;
};

}  // namespace detail

// Checks `config` against `schema` (the JSON of a ConfigSchema). `path` names
// the block in messages ("config", or "observers[2].config" in the daemon).
inline ValidatedConfig validate_config(const nlohmann::json& schema, const nlohmann::json& config,
                                       const std::string& path = "config") {
  ValidatedConfig out;
  detail::ConfigValidator validator(out.problems);
  try {
    out.value = validator.check(schema, config.is_null() ? nlohmann::json::object() : config, "", path);
  } catch (const nlohmann::json::exception& e) {
    // The schema came from a plugin: a malformed one is the plugin's bug, said
    // as such, never an exception out of the daemon's config check.
    out.problems.push_back(
        {"", false, "'" + path + "': the plugin's config schema is malformed (a plugin bug): " + e.what()});
  }
  if (!out.ok()) out.value = nullptr;
  return out;
}

}  // namespace tickd
