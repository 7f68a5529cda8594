// Latency histogram with 10 µs buckets up to 1 s: percentiles without keeping
// every sample, mergeable across threads.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace tickd::bench {

class LatencyHistogram {
 public:
  static constexpr double kBucketMs = 0.01;
  static constexpr std::size_t kBuckets = 100000;  // 1 s

  LatencyHistogram() : counts_(kBuckets + 1, 0) {}

  void add(double ms) {
    if (ms < 0) ms = 0;
    auto b = static_cast<std::size_t>(ms / kBucketMs);
    ++counts_[std::min(b, kBuckets)];
    ++total_;
    max_ = std::max(max_, ms);
  }
  void merge(const LatencyHistogram& o) {
    for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += o.counts_[i];
    total_ += o.total_;
    max_ = std::max(max_, o.max_);
  }
  // Upper edge of the bucket holding quantile q (0..1), in ms.
  double quantile(double q) const {
    if (total_ == 0) return 0;
    auto want = static_cast<std::uint64_t>(q * static_cast<double>(total_ - 1)) + 1;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= want) return i == kBuckets ? max_ : static_cast<double>(i + 1) * kBucketMs;
    }
    return max_;
  }
  double max() const { return max_; }
  std::uint64_t count() const { return total_; }
  void clear() {
    std::fill(counts_.begin(), counts_.end(), 0);
    total_ = 0;
    max_ = 0;
  }

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  double max_ = 0;
};

}  // namespace tickd::bench
