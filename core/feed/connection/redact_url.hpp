// URLs as they may appear in logs: Kite puts api_key and access_token in the
// query string, and a URL may carry user:password, so both are cut.
#pragma once

#include <string>
#include <string_view>

namespace tickd::core {

inline std::string redact_url(std::string_view url) {
  std::string out(url.substr(0, url.find_first_of("?#")));
  if (out.size() < url.size() && url[out.size()] == '?') out += "?<redacted>";
  const auto scheme = out.find("://");
  const auto host_start = scheme == std::string::npos ? 0 : scheme + 3;
  const auto at = out.find('@', host_start);
  const auto path = out.find('/', host_start);
  if (at != std::string::npos && (path == std::string::npos || at < path))
    out.replace(host_start, at - host_start + 1, "<redacted>@");
  return out;
}

}  // namespace tickd::core
