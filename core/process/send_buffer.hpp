// Bytes for a child's stdin: appended at the back, written from the front.
// Written bytes are dropped in bulk (all at once when everything is written,
// or when they are the larger half of a big buffer), never per write: a pipe
// that takes 64 KiB at a time from megabytes of events must not cost a move
// of the rest each time.
#pragma once

#include <cstddef>
#include <string>

namespace tickd::core {

class SendBuffer {
 public:
  std::string& back() { return data_; }  // append whole lines here
  bool empty() const { return sent_ == data_.size(); }
  std::size_t size() const { return data_.size() - sent_; }  // not yet written
  const char* front() const { return data_.data() + sent_; }
  void written(std::size_t n) {
    sent_ += n;
    if (sent_ == data_.size()) {
      clear();  // keeps the capacity: the next batch does not allocate
    } else if (sent_ >= kCompactBytes && sent_ * 2 >= data_.size()) {
      data_.erase(0, sent_);
      sent_ = 0;
    }
  }
  void clear() {
    data_.clear();
    sent_ = 0;
  }

 private:
  static constexpr std::size_t kCompactBytes = 1 << 20;
  std::string data_;
  std::size_t sent_ = 0;
};

}  // namespace tickd::core
