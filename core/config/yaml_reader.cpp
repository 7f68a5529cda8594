#include "config/yaml_reader.hpp"

#include "config/env_substitution.hpp"

#include <tickd/did_you_mean.hpp>
#include <tickd/duration.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

namespace tickd::core {

namespace {

std::string kind_of(const YAML::Node& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  return "nothing";
}

void must_be(ErrorCollector& errors, const Field& field, std::string_view what, const std::string& got) {
  errors.add(field.mark, "'" + field.path + "' must be " + std::string(what) + ", got '" + got + "'");
}

bool is_integer_text(const std::string& text) {
  std::size_t i = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  if (i == text.size()) return false;
  for (; i < text.size(); ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  return true;
}

std::string integer_rule(std::int64_t min, std::int64_t max) {
  if (max == std::numeric_limits<std::int64_t>::max() || max == std::numeric_limits<std::uint32_t>::max()) {
    if (min == 0) return "a non-negative integer";
    if (min == 1) return "a positive integer";
    return "an integer >= " + std::to_string(min);
  }
  return "an integer from " + std::to_string(min) + " to " + std::to_string(max);
}

}  // namespace

SourceMark ErrorCollector::mark(const YAML::Node& node) const {
  const YAML::Mark m = node.Mark();
  if (m.is_null()) return SourceMark{source_, 0, 0};
  return SourceMark{source_, m.line + 1, m.column + 1};
}

void ErrorCollector::add(const SourceMark& at, std::string message) {
  errors_.push_back(Entry{at, std::move(message)});
}

std::vector<std::string> ErrorCollector::lines() const {
  std::vector<Entry> sorted = errors_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Entry& a, const Entry& b) {
    return std::make_pair(a.at.line, a.at.column) < std::make_pair(b.at.line, b.at.column);
  });
  std::vector<std::string> out;
  out.reserve(sorted.size());
  for (const auto& e : sorted) out.push_back(e.at.str() + ": " + e.message);
  return out;
}

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string item_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::string join(const std::vector<std::string_view>& words, std::string_view separator) {
  std::string out;
  for (auto w : words) {
    if (!out.empty()) out += separator;
    out += w;
  }
  return out;
}

std::vector<MapEntry> map_entries(ErrorCollector& errors, const Field& field) {
  std::vector<MapEntry> entries;
  // Copies: yaml-cpp's iterators hand out a temporary pair of handles.
  for (const auto& pair : field.node) {
    const YAML::Node key = pair.first;
    const YAML::Node value = pair.second;
    if (!key.IsScalar()) {
      errors.add(errors.mark(key), "keys in '" + field.path + "' must be strings");
      continue;
    }
    const std::string name = key.Scalar();
    const SourceMark key_mark = errors.mark(key);
    auto previous =
        std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.key == name; });
    if (previous != entries.end()) {
      const std::string where = field.path.empty() ? "at the top level" : "in '" + field.path + "'";
      errors.add(key_mark, "duplicate key '" + name + "' " + where + " (first at line " +
                               std::to_string(previous->key_mark.line) + ")");
      continue;
    }
    // yaml-cpp places an empty value at the next token, possibly lines below.
    const SourceMark value_mark = value.IsNull() ? key_mark : errors.mark(value);
    entries.push_back(MapEntry{name, key_mark, Field{value, value_mark, child_path(field.path, name)}});
  }
  return entries;
}

MapReader::MapReader(ErrorCollector& errors, const Field& field,
                     const std::vector<std::string_view>& known_keys)
    : field_(field) {
  if (!field.node.IsDefined() || field.node.IsNull()) return;
  if (!field.node.IsMap()) {
    const std::string where = field.path.empty() ? "the document" : "'" + field.path + "'";
    errors.add(field.mark,
               where + " must be a mapping, got " +
                   (field.node.IsScalar() ? "'" + field.node.Scalar() + "'" : kind_of(field.node)));
    return;
  }
  is_map_ = true;
  entries_ = map_entries(errors, field);
  for (const auto& entry : entries_) {
    if (std::find(known_keys.begin(), known_keys.end(), entry.key) != known_keys.end()) continue;
    const std::string where = field.path.empty() ? "at the top level" : "in '" + field.path + "'";
    errors.add(entry.key_mark,
               "unknown key '" + entry.key + "' " + where + did_you_mean(entry.key, known_keys));
  }
}

std::optional<Field> MapReader::get(std::string_view key) const {
  for (const auto& entry : entries_)
    if (entry.key == key) return entry.value;
  return std::nullopt;
}

std::optional<std::string> read_scalar(ErrorCollector& errors, const Field& field, std::string_view what) {
  if (!field.node.IsScalar()) {
    errors.add(field.mark,
               "'" + field.path + "' must be " + std::string(what) + ", got " + kind_of(field.node));
    return std::nullopt;
  }
  EnvSubstitution sub = substitute_env(field.node.Scalar());
  if (!sub.error.empty()) {
    errors.add(field.mark, sub.error + " (in '" + field.path + "')");
    return std::nullopt;
  }
  return std::move(sub.value);
}

std::optional<bool> read_bool(ErrorCollector& errors, const Field& field) {
  auto text = read_scalar(errors, field, "true or false");
  if (!text) return std::nullopt;
  if (*text == "true" || *text == "True" || *text == "TRUE") return true;
  if (*text == "false" || *text == "False" || *text == "FALSE") return false;
  must_be(errors, field, "true or false", *text);
  return std::nullopt;
}

std::optional<std::int64_t> read_integer(ErrorCollector& errors, const Field& field, std::int64_t min,
                                         std::int64_t max) {
  const std::string rule = integer_rule(min, max);
  auto text = read_scalar(errors, field, rule);
  if (!text) return std::nullopt;
  if (is_integer_text(*text)) {
    errno = 0;
    const long long value = std::strtoll(text->c_str(), nullptr, 10);
    if (errno == 0 && value >= min && value <= max) return static_cast<std::int64_t>(value);
  }
  must_be(errors, field, rule, *text);
  return std::nullopt;
}

std::optional<std::uint64_t> read_unsigned64(ErrorCollector& errors, const Field& field) {
  auto text = read_scalar(errors, field, "a non-negative integer");
  if (!text) return std::nullopt;
  if (is_integer_text(*text) && (*text)[0] != '-') {
    errno = 0;
    const unsigned long long value = std::strtoull(text->c_str(), nullptr, 10);
    if (errno == 0) return static_cast<std::uint64_t>(value);
  }
  must_be(errors, field, "a non-negative integer", *text);
  return std::nullopt;
}

std::optional<double> read_number(ErrorCollector& errors, const Field& field, NumberRange range) {
  const char* rule = range == NumberRange::positive       ? "a positive number"
                     : range == NumberRange::non_negative ? "a non-negative number"
                                                          : "a number";
  auto text = read_scalar(errors, field, rule);
  if (!text) return std::nullopt;
  char* end = nullptr;
  const double value = text->empty() ? NAN : std::strtod(text->c_str(), &end);
  const bool parsed = end != nullptr && *end == '\0' && std::isfinite(value);
  const bool in_range =
      range == NumberRange::any || (range == NumberRange::positive ? value > 0 : value >= 0);
  if (parsed && in_range) return value;
  must_be(errors, field, rule, *text);
  return std::nullopt;
}

std::optional<std::int64_t> read_duration_ms(ErrorCollector& errors, const Field& field) {
  static constexpr std::string_view kRule =
      "a duration such as 250ms, 30s, 5m, 1h, 1d or a number of seconds";
  auto text = read_scalar(errors, field, kRule);
  if (!text) return std::nullopt;
  if (auto ms = parse_duration_ms(*text)) return ms;
  must_be(errors, field, kRule, *text);
  return std::nullopt;
}

std::optional<std::size_t> read_choice(ErrorCollector& errors, const Field& field,
                                       const std::vector<std::string_view>& choices) {
  const std::string rule = "one of " + join(choices);
  auto text = read_scalar(errors, field, rule);
  if (!text) return std::nullopt;
  for (std::size_t i = 0; i < choices.size(); ++i)
    if (choices[i] == *text) return i;
  errors.add(field.mark,
             "'" + field.path + "' must be " + rule + ", got '" + *text + "'" + did_you_mean(*text, choices));
  return std::nullopt;
}

std::optional<std::vector<Field>> read_list(ErrorCollector& errors, const Field& field) {
  std::vector<Field> items;
  if (field.node.IsNull()) return items;
  if (!field.node.IsSequence()) {
    const std::string got = field.node.IsScalar() ? "'" + field.node.Scalar() + "'" : kind_of(field.node);
    errors.add(field.mark, "'" + field.path + "' must be a list, got " + got);
    return std::nullopt;
  }
  for (std::size_t i = 0; i < field.node.size(); ++i) {
    const YAML::Node item = field.node[i];
    items.push_back(Field{item, item.IsNull() ? field.mark : errors.mark(item), item_path(field.path, i)});
  }
  return items;
}

std::optional<std::vector<std::string>> read_string_list(ErrorCollector& errors, const Field& field) {
  auto items = read_list(errors, field);
  if (!items) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& item : *items) {
    auto text = read_string(errors, item);
    if (!text) continue;
    if (text->empty()) {
      errors.add(item.mark, "'" + item.path + "' must not be empty");
      continue;
    }
    out.push_back(std::move(*text));
  }
  return out;
}

}  // namespace tickd::core
