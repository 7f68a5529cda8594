#include "plugin_child/stdio_channel.hpp"

#include <unistd.h>

#include <cerrno>

namespace tickd::core {

StdioChannel::StdioChannel(int in_fd, int out_fd, std::size_t max_line)
    : in_fd_(in_fd), out_fd_(out_fd), in_(max_line) {}

bool StdioChannel::fill() {
  char buf[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(in_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    in_.append(buf, static_cast<std::size_t>(n));
    return true;
  }
}

bool StdioChannel::read_line(std::string& line) {
  for (;;) {
    std::string_view view;
    bool too_long = false;
    if (in_.next(view, too_long)) {
      if (too_long) return false;
      line.assign(view.data(), view.size());
      return true;
    }
    if (too_long) return false;
    if (on_idle_) on_idle_();
    flush();  // about to wait: the daemon must see our acks and requests first
    if (!fill()) return false;
  }
}

bool StdioChannel::next_line(std::string& line) {
  if (!aside_.empty()) {
    line = std::move(aside_.front());
    aside_.pop_front();
    return true;
  }
  return read_line(line);
}

void StdioChannel::write_line(std::string_view line) {
  std::lock_guard<std::mutex> lock(out_mu_);
  out_.append(line.data(), line.size());
  out_ += '\n';
}

void StdioChannel::flush() {
  std::lock_guard<std::mutex> lock(out_mu_);
  std::size_t done = 0;
  while (done < out_.size()) {
    const ssize_t n = ::write(out_fd_, out_.data() + done, out_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the daemon is gone; nothing left to tell it
    done += static_cast<std::size_t>(n);
  }
  out_.clear();
}

}  // namespace tickd::core
