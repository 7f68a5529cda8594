// systemd's notify protocol (Type=notify): READY, STATUS, STOPPING, RELOADING
// and the watchdog. Every call is a no-op when not started by systemd.
#pragma once

#include <chrono>
#include <string>

namespace tickd::core {

class SystemdNotifier {
 public:
  SystemdNotifier();

  void ready(const std::string& status);
  void status(const std::string& status);
  void reloading();
  void stopping();

  // Sends WATCHDOG=1 when half the watchdog interval has passed, but only if
  // `healthy`: a daemon whose feed thread is stuck must let systemd restart it.
  void watchdog(bool healthy);

  bool watchdog_enabled() const { return interval_.count() > 0; }
  // How recent the feed thread's heartbeat must be to count as healthy.
  std::chrono::milliseconds heartbeat_limit() const;

 private:
  std::chrono::microseconds interval_{0};
  std::chrono::steady_clock::time_point last_ping_{};
};

}  // namespace tickd::core
