// The child's lines to the daemon: one buffered writer behind a lock, because
// plugins log, publish and ask for history from their own threads too.
#pragma once

#include <mutex>
#include <string>
#include <string_view>

namespace tickd::core {

class DaemonOutbox {
 public:
  static constexpr std::size_t kFlushBytes = 1 << 20;

  explicit DaemonOutbox(int out_fd) : out_fd_(out_fd) {}

  // Appends what `fill` writes: whole lines, each with its "\n".
  template <typename F>
  void write_lines(F&& fill) {
    std::unique_lock<std::mutex> lock(mu_);
    fill(out_);
    if (out_.size() < kFlushBytes) return;
    lock.unlock();
    flush();  // a plugin that publishes in a loop must not make us hoard
  }
  // One line; `fill` writes it without its "\n".
  template <typename F>
  void write_line(F&& fill) {
    write_lines([&](std::string& out) {
      fill(out);
      out += '\n';
    });
  }
  void flush();

 private:
  int out_fd_;
  std::mutex mu_;
  std::string out_;
};

}  // namespace tickd::core
