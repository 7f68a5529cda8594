// Who may use the server: bearer token and Origin allowlist. Refusals carry the
// HTTP status to answer with and a reason that is safe to log (never the token).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tickd::ws {

struct Refusal {
  int http_status;
  std::string reason;
};

class AccessPolicy {
 public:
  AccessPolicy(std::string token, std::vector<std::string> allowed_origins)
      : token_(std::move(token)), origins_(std::move(allowed_origins)) {}

  // `authorization`: the Authorization header ("" if absent); `query`: raw query
  // string, which may carry token=...
  std::optional<Refusal> check_token(std::string_view authorization, std::string_view query) const;

  // A missing Origin (not a browser) passes, so does the page's own origin
  // (Origin equal to http://<Host>); otherwise it must be on the allowlist when
  // there is one.
  std::optional<Refusal> check_origin(std::string_view origin, std::string_view host) const;

  bool needs_token() const { return !token_.empty(); }

 private:
  std::string token_;
  std::vector<std::string> origins_;
};

}  // namespace tickd::ws
