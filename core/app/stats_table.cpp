#include "app/stats_table.hpp"

#include <cstdio>
#include <sstream>

namespace tickd::core {

std::string render_stats_table(const DaemonStatus& s) {
  std::ostringstream out;
  char line[512];
  const FeedStatus& f = s.feed;
  std::snprintf(line, sizeof line,
                "feed %s: %s, %llu messages, %llu ticks, %llu decode errors, %llu reconnects, "
                "last message %.1fs ago\n",
                f.kind.c_str(), f.state.c_str(), static_cast<unsigned long long>(f.messages),
                static_cast<unsigned long long>(f.ticks), static_cast<unsigned long long>(f.decode_errors),
                static_cast<unsigned long long>(f.reconnects), f.seconds_since_last_message);
  out << line;
  for (const auto& c : f.connections) {
    std::snprintf(line, sizeof line,
                  "  connection %s: %s, %llu instruments, %llu messages, %llu ticks, %llu reconnects\n",
                  c.connection.c_str(), c.state.c_str(), static_cast<unsigned long long>(c.instruments),
                  static_cast<unsigned long long>(c.messages), static_cast<unsigned long long>(c.ticks),
                  static_cast<unsigned long long>(c.reconnects));
    out << line;
  }
  if (f.instruments_expired > 0) out << "  expired contracts unsubscribed: " << f.instruments_expired << '\n';
  const AggregatorStatus& a = s.aggregator;
  out << "candles closed:";
  for (const auto& [interval, n] : a.candles_closed) out << ' ' << interval << '=' << n;
  std::snprintf(
      line, sizeof line,
      "\nlate ticks: %llu dropped, %llu amended; candles amended: %llu; gap filled: %llu; signals published: "
      "%llu\n",
      static_cast<unsigned long long>(a.late_dropped), static_cast<unsigned long long>(a.late_amended),
      static_cast<unsigned long long>(a.candles_amended), static_cast<unsigned long long>(a.gap_filled),
      static_cast<unsigned long long>(s.signals_published));
  out << line;
  out << "feed gate rejected: " << s.gate.rejected_total;
  for (const auto& [reason, n] : s.gate.rejected)
    if (n > 0) out << ' ' << reason << '=' << n;
  out << '\n';
  std::snprintf(line, sizeof line, "\n%-20s %10s %14s %10s %9s %9s %9s %-9s %s\n", "observer", "queue",
                "delivered", "dropped", "failures", "skipped", "lost", "state", "config");
  out << line;
  for (const auto& o : s.observers) {
    std::snprintf(line, sizeof line, "%-20s %10llu %14llu %10llu %9llu %9llu %9llu %-9s %s\n", o.name.c_str(),
                  static_cast<unsigned long long>(o.queue_depth),
                  static_cast<unsigned long long>(o.delivered), static_cast<unsigned long long>(o.dropped),
                  static_cast<unsigned long long>(o.failures), static_cast<unsigned long long>(o.skipped),
                  static_cast<unsigned long long>(o.lost), o.suspended ? "SUSPENDED" : "ok",
                  o.config.c_str());
    out << line;
    if (o.suspended && !o.suspended_reason.empty()) out << "    suspended: " << o.suspended_reason << '\n';
    for (const auto& m : o.metrics) {
      std::string name = m.name;
      if (!m.label_name.empty()) name += "{" + m.label_name + "=" + m.label_value + "}";
      std::snprintf(line, sizeof line, "    %-40s %16.15g%s\n", name.c_str(), m.value,
                    m.loss ? (m.counter ? "  (lost)" : "  (at risk)") : "");
      out << line;
    }
  }
  return out.str();
}

}  // namespace tickd::core
