#include "plugin_child/daemon_outbox.hpp"

#include <unistd.h>

#include <cerrno>

namespace tickd::core {

void DaemonOutbox::flush() {
  std::lock_guard<std::mutex> lock(mu_);
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
