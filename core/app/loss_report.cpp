#include "app/loss_report.hpp"

#include "app/daemon_host_services.hpp"

#include <spdlog/spdlog.h>

namespace tickd::core {

namespace {
void append(std::string& detail, const std::string& name, double value, const char* note = "") {
  detail +=
      (detail.empty() ? "" : ", ") + name + " " + std::to_string(static_cast<std::uint64_t>(value)) + note;
}
}  // namespace

std::uint64_t report_losses(ObserverSnapshot final) {
  const bool abandoned = !final.stopped_in_time;
  std::vector<ObserverMetric> held;
  if (abandoned)
    for (const auto& m : final.metrics)
      if (m.loss && !m.counter && m.value > 0) held.push_back(m);
  const ObserverStatus o = observer_status(std::move(final));
  std::uint64_t lost = o.lost;
  for (const auto& m : held) lost += static_cast<std::uint64_t>(m.value);
  if (lost == 0) return 0;
  std::string detail;
  if (o.undelivered) append(detail, "closed candles and signals never delivered", double(o.undelivered));
  for (const auto& m : o.metrics)
    if (m.loss && m.counter && m.value > 0) append(detail, m.name, m.value);
  for (const auto& m : held) append(detail, m.name, m.value, " (held when abandoned)");
  spdlog::error("observer '{}' lost {} records: {}", o.name, lost, detail);
  return lost;
}

}  // namespace tickd::core
