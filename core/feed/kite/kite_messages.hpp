// Client -> server text messages of the Kite ticker.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tickd::core {

enum class KiteMode { ltp, quote, full };

// "ltp" | "quote" | "full"
std::string_view kite_mode_name(KiteMode mode);
bool parse_kite_mode(std::string_view name, KiteMode& out);

// {"a":"subscribe","v":[408065,884737]}
std::string kite_subscribe_message(const std::vector<std::uint32_t>& tokens);
// {"a":"unsubscribe","v":[408065]}
std::string kite_unsubscribe_message(const std::vector<std::uint32_t>& tokens);
// {"a":"mode","v":["full",[408065]]}
std::string kite_mode_message(KiteMode mode, const std::vector<std::uint32_t>& tokens);

}  // namespace tickd::core
