#include "url.hpp"

namespace tickd::ws {

std::optional<Target> split_target(std::string_view resource) {
  auto path = decode_request_path(resource);
  if (!path) return std::nullopt;
  Target t;
  t.path = std::move(*path);
  const auto q = resource.find('?');
  if (q != std::string_view::npos) t.query = std::string(resource.substr(q + 1));
  return t;
}

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    auto eq = pair.find('=');
    if (pair.substr(0, eq) == name)
      return eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1), true);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::vector<std::string> path_segments(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    auto end = path.find('/', i);
    if (end == std::string_view::npos) end = path.size();
    if (end > i) out.emplace_back(path.substr(i, end - i));
    i = end;
  }
  return out;
}

}  // namespace tickd::ws
