// The child's end of the process-observer protocol: lines in from stdin (with
// lines set aside while a history answer is awaited), lines out to the
// daemon through a buffered, locked writer (plugins may log or publish from
// their own threads).
#pragma once

#include "process/line_buffer.hpp"

#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace tickd::core {

class StdioChannel {
 public:
  static constexpr std::size_t kFlushBytes = 1 << 20;

  StdioChannel(int in_fd, int out_fd, std::size_t max_line);

  // The next line: set-aside lines first, then stdin (blocking). False at end
  // of input or on a line over the limit.
  bool next_line(std::string& line);
  // Straight from stdin, skipping the set-aside lines (for history answers).
  bool read_line(std::string& line);
  void set_aside(std::string line) { aside_.push_back(std::move(line)); }
  // Called when no line is left to read, before blocking for more: the moment
  // to acknowledge what was handled.
  void on_idle(std::function<void()> f) { on_idle_ = std::move(f); }

  // Appends a whole line (newline added); sent by flush().
  void write_line(std::string_view line);
  template <typename F>
  void write_with(F&& fill) {
    std::unique_lock<std::mutex> lock(out_mu_);
    fill(out_);
    out_ += '\n';
    if (out_.size() < kFlushBytes) return;
    lock.unlock();
    flush();  // a plugin that publishes in a loop must not make us hoard
  }
  void flush();

 private:
  bool fill();
  int in_fd_, out_fd_;
  LineBuffer in_;
  std::function<void()> on_idle_;
  std::deque<std::string> aside_;
  std::mutex out_mu_;
  std::string out_;
};

}  // namespace tickd::core
