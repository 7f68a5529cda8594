// The optional signature of a webhook POST, so a receiver can check that the
// body came from this tickd and is fresh:
//   X-Tickd-Timestamp: <unix seconds>
//   X-Tickd-Signature: sha256=<hex of HMAC-SHA256(secret, "<timestamp>.<body>")>
// The receiver recomputes it with the shared secret, compares in constant
// time and rejects old timestamps (replays).
#pragma once

#include <cstdint>
#include <string>

namespace tickd::webhook {

std::string hmac_sha256_hex(const std::string& key, const std::string& data);
std::string signature_header(const std::string& secret, std::int64_t unix_seconds, const std::string& body);

}  // namespace tickd::webhook
