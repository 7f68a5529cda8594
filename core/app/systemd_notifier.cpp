#include "app/systemd_notifier.hpp"

#include <systemd/sd-daemon.h>
#include <unistd.h>

namespace tickd::core {

SystemdNotifier::SystemdNotifier() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0) interval_ = std::chrono::microseconds(usec);
}

void SystemdNotifier::ready(const std::string& status) {
  sd_notifyf(0, "READY=1\nSTATUS=%s\nMAINPID=%lu", status.c_str(), static_cast<unsigned long>(getpid()));
}

void SystemdNotifier::status(const std::string& status) { sd_notifyf(0, "STATUS=%s", status.c_str()); }

void SystemdNotifier::reloading() { sd_notify(0, "RELOADING=1"); }

void SystemdNotifier::stopping() { sd_notify(0, "STOPPING=1"); }

void SystemdNotifier::watchdog(bool healthy) {
  if (!watchdog_enabled() || !healthy) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ping_ < interval_ / 2) return;
  sd_notify(0, "WATCHDOG=1");
  last_ping_ = now;
}

std::chrono::milliseconds SystemdNotifier::heartbeat_limit() const {
  auto half = std::chrono::duration_cast<std::chrono::milliseconds>(interval_ / 2);
  return half < std::chrono::milliseconds(1000) ? std::chrono::milliseconds(1000) : half;
}

}  // namespace tickd::core
