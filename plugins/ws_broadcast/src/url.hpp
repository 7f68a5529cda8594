// Request-target helpers: path/query split, percent-decoding, query parameters.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tickd::ws {

struct Target {
  std::string path;   // decoded
  std::string query;  // raw, without '?'
};

// nullopt for a malformed target (bad escape, NUL byte, not starting with '/').
std::optional<Target> split_target(std::string_view resource);
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);
std::optional<std::string> query_param(std::string_view query, std::string_view name);
// "/a/b/c" -> {"a","b","c"}; "/" -> {}.
std::vector<std::string> path_segments(std::string_view path);

}  // namespace tickd::ws
