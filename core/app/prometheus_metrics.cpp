#include "app/prometheus_metrics.hpp"

#include <cstdio>
#include <sstream>

namespace tickd::core {

namespace {
// Prometheus label values escape backslash, quote and newline.
std::string label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

class Writer {
 public:
  void metric(const char* name, const char* type, const char* help) {
    out_ << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
  }
  void sample(const char* name, const std::string& labels, double value) {
    out_ << name;
    if (!labels.empty()) out_ << '{' << labels << '}';
    char buf[64];
    std::snprintf(buf, sizeof buf, " %.17g\n", value);
    out_ << buf;
  }
  std::string str() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

double num(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}
}  // namespace

std::string render_prometheus(const nlohmann::json& s) {
  Writer w;
  if (s.contains("feed")) {
    const auto& f = s["feed"];
    w.metric("tickd_feed_state", "gauge", "1 for the feed's current state");
    w.sample("tickd_feed_state",
             "kind=\"" + label(f.value("kind", "")) + "\",state=\"" + label(f.value("state", "")) + "\"", 1);
    struct {
      const char* key;
      const char* name;
      const char* help;
    } counters[] = {{"messages", "tickd_feed_messages_total", "Messages received from the feed"},
                    {"ticks", "tickd_feed_ticks_total", "Ticks decoded"},
                    {"decode_errors", "tickd_feed_decode_errors_total", "Malformed messages skipped"},
                    {"reconnects", "tickd_feed_reconnects_total", "Reconnections to the broker"}};
    for (auto& c : counters) {
      w.metric(c.name, "counter", c.help);
      w.sample(c.name, "", num(f, c.key));
    }
    w.metric("tickd_feed_seconds_since_last_message", "gauge",
             "Seconds since the feed's last message (-1: never)");
    w.sample("tickd_feed_seconds_since_last_message", "", num(f, "seconds_since_last_message"));
    if (f.contains("consumer_position")) {
      w.metric("tickd_feed_consumer_position", "gauge", "Stream sequence of the last message handled");
      w.sample("tickd_feed_consumer_position", "", num(f, "consumer_position"));
      w.metric("tickd_feed_lag_candles", "gauge", "Closed candles in the stream not yet handled");
      w.sample("tickd_feed_lag_candles", "", num(f, "lag_candles"));
      w.metric("tickd_feed_lag_seconds", "gauge", "Age of the oldest closed candle not yet handled");
      w.sample("tickd_feed_lag_seconds", "", num(f, "lag_seconds"));
    }
  }
  if (s.contains("aggregator")) {
    const auto& a = s["aggregator"];
    struct {
      const char* key;
      const char* name;
      const char* help;
    } counters[] = {
        {"late_dropped", "tickd_late_ticks_dropped_total", "Ticks older than their open bucket, dropped"},
        {"late_amended", "tickd_late_ticks_amended_total", "Late ticks that amended a closed candle"},
        {"gap_filled", "tickd_gap_filled_total", "Flat candles emitted for buckets without trades"},
        {"gap_fill_truncated", "tickd_gap_fill_truncated_total",
         "Gaps longer than gap_fill_max: their older buckets left empty"}};
    for (auto& c : counters) {
      w.metric(c.name, "counter", c.help);
      w.sample(c.name, "", num(a, c.key));
    }
    w.metric("tickd_candles_closed_total", "counter", "Candles closed, per interval");
    if (a.contains("candles_closed"))
      for (auto& [interval, n] : a["candles_closed"].items())
        w.sample("tickd_candles_closed_total", "interval=\"" + label(interval) + "\"", n.get<double>());
  }
  w.metric("tickd_signals_published_total", "counter", "Signals published by plugins");
  w.sample("tickd_signals_published_total", "", num(s, "signals_published"));
  if (s.contains("observers")) {
    struct {
      const char* key;
      const char* name;
      const char* type;
      const char* help;
    } per_observer[] = {
        {"queue_depth", "tickd_observer_queue_depth", "gauge", "Events waiting in the queue"},
        {"delivered", "tickd_observer_delivered_total", "counter", "Events handled"},
        {"dropped", "tickd_observer_dropped_total", "counter", "Ticks and updates dropped"},
        {"failures", "tickd_observer_failures_total", "counter", "Events the observer failed"},
        {"skipped", "tickd_observer_skipped_total", "counter", "Events skipped while suspended"}};
    for (auto& m : per_observer) {
      w.metric(m.name, m.type, m.help);
      for (const auto& o : s["observers"])
        w.sample(m.name, "observer=\"" + label(o.value("name", "")) + "\"", num(o, m.key));
    }
    w.metric("tickd_observer_suspended", "gauge", "1 when suspended after repeated failures");
    for (const auto& o : s["observers"])
      w.sample("tickd_observer_suspended", "observer=\"" + label(o.value("name", "")) + "\"",
               o.value("suspended", false) ? 1 : 0);
  }
  return w.str();
}

std::string render_stats_table(const nlohmann::json& s) {
  std::ostringstream out;
  char line[256];
  if (s.contains("feed")) {
    const auto& f = s["feed"];
    std::snprintf(line, sizeof line,
                  "feed %s: %s, %.0f messages, %.0f ticks, %.0f decode errors, %.0f reconnects, "
                  "last message %.1fs ago\n",
                  f.value("kind", "").c_str(), f.value("state", "").c_str(), num(f, "messages"),
                  num(f, "ticks"), num(f, "decode_errors"), num(f, "reconnects"),
                  num(f, "seconds_since_last_message"));
    out << line;
  }
  if (s.contains("aggregator")) {
    const auto& a = s["aggregator"];
    out << "candles closed:";
    if (a.contains("candles_closed"))
      for (auto& [interval, n] : a["candles_closed"].items())
        out << ' ' << interval << '=' << n.get<double>();
    std::snprintf(line, sizeof line, "\nlate ticks: %.0f dropped, %.0f amended; signals published: %.0f\n",
                  num(a, "late_dropped"), num(a, "late_amended"), num(s, "signals_published"));
    out << line;
  }
  std::snprintf(line, sizeof line, "\n%-20s %10s %14s %10s %9s %9s %s\n", "observer", "queue", "delivered",
                "dropped", "failures", "skipped", "state");
  out << line;
  if (s.contains("observers"))
    for (const auto& o : s["observers"]) {
      std::snprintf(line, sizeof line, "%-20s %10.0f %14.0f %10.0f %9.0f %9.0f %s\n",
                    o.value("name", "").c_str(), num(o, "queue_depth"), num(o, "delivered"),
                    num(o, "dropped"), num(o, "failures"), num(o, "skipped"),
                    o.value("suspended", false) ? "SUSPENDED" : "ok");
      out << line;
    }
  return out.str();
}

}  // namespace tickd::core
