#include "access_policy.hpp"

#include "url.hpp"

#include <algorithm>

namespace tickd::ws {
namespace {

// Compares in time that depends only on the lengths, so the token cannot be
// guessed byte by byte from response times.
bool same_secret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ b[i % (b.size() ? b.size() : 1)]);
  return diff == 0 && !b.empty();
}

}  // namespace

std::optional<Refusal> AccessPolicy::check_token(std::string_view authorization,
                                                 std::string_view query) const {
  if (token_.empty()) return std::nullopt;
  std::string presented;
  constexpr std::string_view bearer = "Bearer ";
  if (authorization.size() > bearer.size() && authorization.substr(0, bearer.size()) == bearer) {
    presented = std::string(authorization.substr(bearer.size()));
  } else if (auto q = query_param(query, "token")) {
    presented = *q;
  } else {
    return Refusal{401, "missing bearer token"};
  }
  if (!same_secret(presented, token_)) return Refusal{401, "wrong bearer token"};
  return std::nullopt;
}

std::optional<Refusal> AccessPolicy::check_origin(std::string_view origin, std::string_view host) const {
  if (origins_.empty() || origin.empty()) return std::nullopt;
  if (!host.empty() && (origin == "http://" + std::string(host) || origin == "https://" + std::string(host)))
    return std::nullopt;
  if (std::find(origins_.begin(), origins_.end(), origin) != origins_.end()) return std::nullopt;
  return Refusal{403, "origin '" + std::string(origin.substr(0, 128)) + "' is not allowed"};
}

}  // namespace tickd::ws
