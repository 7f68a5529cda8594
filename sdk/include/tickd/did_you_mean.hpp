// Typo suggestions for unknown keys and values, shared by the daemon's config
// reader and the plugin config validation.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tickd {

namespace detail {

inline char lower_ascii(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Optimal string alignment distance: Levenshtein plus adjacent transpositions.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = lower_ascii(a[i - 1]) == lower_ascii(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && lower_ascii(a[i - 1]) == lower_ascii(b[j - 2]) &&
          lower_ascii(a[i - 2]) == lower_ascii(b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

}  // namespace detail

// " (did you mean 'x'?)" for the closest candidate within a small edit distance
// (transpositions count as one edit), or "" when nothing is close.
inline std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
  // Long words tolerate more typos; short ones would match almost anything.
  const std::size_t limit = word.size() <= 3 ? 1 : word.size() <= 6 ? 2 : 3;
  std::string_view best;
  std::size_t best_distance = limit + 1;
  for (auto candidate : candidates) {
    const std::size_t distance = detail::edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  if (best.empty()) return "";
  return " (did you mean '" + std::string(best) + "'?)";
}

// Up to `n` candidates within the same edit distance as did_you_mean, closest
// first (ties in the candidates' order): for lists where one guess is not
// enough, such as a broker's thousands of instrument names.
inline std::vector<std::string> closest_matches(std::string_view word,
                                                const std::vector<std::string_view>& candidates,
                                                std::size_t n) {
  const std::size_t limit = word.size() <= 3 ? 1 : word.size() <= 6 ? 2 : 3;
  std::vector<std::pair<std::size_t, std::size_t>> found;  // distance, index
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto candidate = candidates[i];
    const std::size_t gap =
        candidate.size() > word.size() ? candidate.size() - word.size() : word.size() - candidate.size();
    if (gap > limit) continue;  // cheaper than the distance, which is at least the gap
    const std::size_t distance = detail::edit_distance(word, candidate);
    if (distance <= limit) found.emplace_back(distance, i);
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < found.size() && out.size() < n; ++i)
    out.emplace_back(candidates[found[i].second]);
  return out;
}

}  // namespace tickd
