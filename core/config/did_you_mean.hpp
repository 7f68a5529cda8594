// Typo suggestions for unknown keys and values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tickd::core {

// " (did you mean 'x'?)" for the closest candidate within a small edit distance
// (transpositions count as one edit), or "" when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace tickd::core
