// Request-target helpers: path/query split, percent-decoding, query parameters.
#pragma once

#include <tickd/url_path.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tickd::ws {

struct Target {
  std::string path;   // decoded
  std::string query;  // raw, without '?'
};

// nullopt for a malformed target (tickd::decode_request_path): answered with 400.
std::optional<Target> split_target(std::string_view resource);
std::optional<std::string> query_param(std::string_view query, std::string_view name);
// "/a/b/c" -> {"a","b","c"}; "/" -> {}.
std::vector<std::string> path_segments(std::string_view path);

}  // namespace tickd::ws
