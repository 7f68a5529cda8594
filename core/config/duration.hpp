// Durations in the config: "250ms", "1s", "2m", "1h", or a plain number of seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tickd::core {

// Milliseconds, rounded to the nearest; nullopt for anything malformed or negative.
// Fractions are allowed ("1.5s", "0.25"), so a plain number of seconds and its
// unit-suffixed spelling mean the same thing.
std::optional<std::int64_t> parse_duration_ms(std::string_view text);

}  // namespace tickd::core
