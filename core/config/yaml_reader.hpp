// Typed, position-aware reading of a yaml-cpp tree. Every problem is collected
// (with its file:line:column) instead of thrown, so that one run of
// `tickd --check-config` reports all of them.
#pragma once

#include "config/config.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tickd::core {

class ErrorCollector {
 public:
  explicit ErrorCollector(std::string source) : source_(std::move(source)) {}

  const std::string& source() const { return source_; }
  // yaml-cpp marks are 0-based; ours are 1-based. `node` must be defined.
  SourceMark mark(const YAML::Node& node) const;
  SourceMark start() const { return SourceMark{source_, 1, 1}; }

  void add(const SourceMark& at, std::string message);
  bool empty() const { return errors_.empty(); }
  // "file:line:column: message", ordered by position in the file.
  std::vector<std::string> lines() const;

 private:
  struct Entry {
    SourceMark at;
    std::string message;
  };
  std::string source_;
  std::vector<Entry> errors_;
};

// A value in the tree, with the name and position used in error messages.
struct Field {
  YAML::Node node;   // may be null (`key:` with nothing after it)
  SourceMark mark;   // the value's position, or its key's when the value is empty
  std::string path;  // e.g. "aggregator.session.timezone", "observers[1].config"
};

struct MapEntry {
  std::string key;
  SourceMark key_mark;
  Field value;
};

std::string child_path(const std::string& parent, std::string_view key);
std::string item_path(const std::string& parent, std::size_t index);

// A mapping with a fixed set of keys. Unknown keys (with a did-you-mean) and
// duplicate keys are reported when it is built; an absent or empty mapping
// reads as empty, anything else as an error.
class MapReader {
 public:
  MapReader(ErrorCollector& errors, const Field& field, const std::vector<std::string_view>& known_keys);

  std::optional<Field> get(std::string_view key) const;
  const Field& field() const { return field_; }
  bool is_map() const { return is_map_; }

 private:
  Field field_;
  bool is_map_ = false;
  std::vector<MapEntry> entries_;
};

// Every map entry, for free-form mappings (observer `config` blocks); reports
// non-string and duplicate keys.
std::vector<MapEntry> map_entries(ErrorCollector& errors, const Field& field);

// String scalar with `${NAME}` substituted. `what` names the expected type in
// the error when the value is a list or mapping ("a string", "a number", ...).
std::optional<std::string> read_scalar(ErrorCollector& errors, const Field& field, std::string_view what);
inline std::optional<std::string> read_string(ErrorCollector& errors, const Field& field) {
  return read_scalar(errors, field, "a string");
}
std::optional<bool> read_bool(ErrorCollector& errors, const Field& field);
std::optional<std::int64_t> read_integer(ErrorCollector& errors, const Field& field, std::int64_t min,
                                         std::int64_t max = std::numeric_limits<std::int64_t>::max());
std::optional<std::uint64_t> read_unsigned64(ErrorCollector& errors, const Field& field);

enum class NumberRange { any, non_negative, positive };
std::optional<double> read_number(ErrorCollector& errors, const Field& field, NumberRange range);
std::optional<std::int64_t> read_duration_ms(ErrorCollector& errors, const Field& field);

// The index of the value in `choices`; the error lists them all.
std::optional<std::size_t> read_choice(ErrorCollector& errors, const Field& field,
                                       const std::vector<std::string_view>& choices);

// Sequence items (a null value reads as an empty list).
std::optional<std::vector<Field>> read_list(ErrorCollector& errors, const Field& field);
// A list of strings, all of them non-empty; items that fail are left out.
std::optional<std::vector<std::string>> read_string_list(ErrorCollector& errors, const Field& field);

std::string join(const std::vector<std::string_view>& words, std::string_view separator = ", ");

}  // namespace tickd::core
