// libFuzzer: one input = one HTTP request target, as the admin endpoint and
// ws_broadcast decode it. A decoded path must be valid UTF-8 without control
// characters (so that it can go into a JSON error body), and valid UTF-8 text
// must survive a percent-encoding round trip.
#include <tickd/url_path.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string target(reinterpret_cast<const char*>(data), size);
  if (auto path = tickd::decode_request_path(target)) {
    if (!tickd::is_valid_utf8(*path)) std::abort();
    for (char c : *path)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) std::abort();
    (void)nlohmann::json{{"error", *path}}.dump();  // throws (and aborts) on invalid UTF-8
  }
  if (tickd::is_valid_utf8(target) && target.find('\0') == std::string::npos) {
    static const char* hex = "0123456789ABCDEF";
    std::string encoded = "/";
    for (unsigned char c : target) {
      encoded += '%';
      encoded += hex[c >> 4];
      encoded += hex[c & 15];
    }
    auto back = tickd::percent_decode(encoded.substr(1), false);
    if (!back || *back != target) std::abort();
  }
  return 0;
}
