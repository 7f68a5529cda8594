// Detects when a difference (fast - slow, rsi - level, ...) changes sign.
// Exact zeros are skipped, so a value that touches the line and turns back
// does not fire, and one that rests on it before going through fires once.
#pragma once

namespace tickd::strategy {

class CrossDetector {
 public:
  // +1: crossed from below to above, -1: from above to below, 0: no cross.
  // The first non-zero difference only sets the side.
  int update(double difference) {
    const int sign = (difference > 0) - (difference < 0);
    if (sign == 0) return 0;
    const int previous = side_;
    side_ = sign;
    return previous != 0 && previous != sign ? sign : 0;
  }

 private:
  int side_ = 0;
};

}  // namespace tickd::strategy
