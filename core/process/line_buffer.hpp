// Bytes read from a pipe, cut into lines, with a limit on a line's length so
// that a child that never writes a newline cannot make the daemon hoard memory.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tickd::core {

class LineBuffer {
 public:
  explicit LineBuffer(std::size_t max_line) : max_line_(max_line) {}

  void append(const char* data, std::size_t size) { buffer_.append(data, size); }

  // The next complete line (without its "\n" or "\r\n"), valid until the next
  // call. False when there is none yet; `too_long` is then set if the
  // unfinished line already exceeds the limit.
  bool next(std::string_view& line, bool& too_long) {
    too_long = false;
    const auto newline = buffer_.find('\n', start_);
    if (newline == std::string::npos) {
      compact();
      too_long = buffer_.size() > max_line_;
      return false;
    }
    std::size_t end = newline;
    if (end > start_ && buffer_[end - 1] == '\r') --end;
    line = std::string_view(buffer_).substr(start_, end - start_);
    start_ = newline + 1;
    if (line.size() > max_line_) too_long = true;
    return true;
  }
  std::size_t pending() const { return buffer_.size() - start_; }
  void clear() {
    buffer_.clear();
    start_ = 0;
  }

 private:
  void compact() {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  std::size_t max_line_;
  std::string buffer_;
  std::size_t start_ = 0;
};

}  // namespace tickd::core
