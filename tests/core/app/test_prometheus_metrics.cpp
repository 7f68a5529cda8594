#include "app/prometheus_metrics.hpp"
#include "core/app/status_filler.hpp"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

namespace tickd::core {
namespace {

DaemonStatus example() {
  DaemonStatus s;
  s.feed.kind = "binance";
  s.feed.state = "live";
  s.feed.messages = 120;
  s.feed.ticks = 100;
  s.feed.decode_errors = 2;
  s.feed.reconnects = 1;
  s.feed.seconds_since_last_message = 0.5;
  s.aggregator.late_dropped = 3;
  s.aggregator.gap_filled = 6;
  s.aggregator.gap_fill_truncated = 2;
  s.aggregator.candles_closed = {{"1m", 7}, {"5m", 1}};
  s.signals_published = 4;
  ObserverStatus weird;
  weird.name = "we\"ird";
  weird.delivered = 9;
  weird.queue_depth = 5;
  weird.suspended = true;
  weird.metrics.push_back({"records_written", "Records written", true, false, 40, "", ""});
  weird.metrics.push_back({"records_dropped", "Records dropped from a full buffer", true, true, 3, "", ""});
  ObserverStatus store = weird;
  store.name = "store";
  store.suspended = false;
  store.lost = 3;
  store.metrics.push_back({"connected", "1 when connected", false, false, 1, "observer", "x"});
  s.observers = {weird, store};
  return s;
}

TEST(PrometheusMetrics, RendersEveryFamilyWithTypeAndEscapedLabels) {
  std::string text = render_prometheus(example());
  for (const char* line :
       {"# TYPE tickd_feed_messages_total counter", "tickd_feed_messages_total 120",
        "tickd_feed_state{kind=\"binance\",state=\"live\"} 1", "tickd_feed_decode_errors_total 2",
        "tickd_feed_reconnects_total 1", "tickd_candles_closed_total{interval=\"1m\"} 7",
        "tickd_late_ticks_dropped_total 3", "tickd_gap_filled_total 6", "tickd_gap_fill_truncated_total 2",
        "tickd_signals_published_total 4", "tickd_observer_queue_depth{observer=\"we\\\"ird\"} 5",
        "tickd_observer_suspended{observer=\"we\\\"ird\"} 1",
        "tickd_observer_lost_total{observer=\"store\"} 3",
        "# HELP tickd_plugin_records_dropped Records dropped from a full buffer",
        "# TYPE tickd_plugin_records_dropped counter", "tickd_plugin_records_written{observer=\"store\"} 40",
        "# TYPE tickd_plugin_connected gauge",
        "tickd_plugin_connected{observer=\"store\",plugin_observer=\"x\"} 1"})
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
}

// The text format wants one HELP and one TYPE per family, before its samples,
// and all of a family's samples together.
TEST(PrometheusMetrics, EachFamilyOnceWithItsSamplesTogether) {
  std::istringstream in(render_prometheus(testing::filled_status()));
  std::map<std::string, int> types;
  std::string current;
  std::map<std::string, bool> closed;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("# TYPE ", 0) == 0) {
      std::string name = line.substr(7, line.find(' ', 7) - 7);
      ++types[name];
      if (!current.empty()) closed[current] = true;
      current = name;
      continue;
    }
    if (line.rfind("# HELP ", 0) == 0) continue;
    std::string name = line.substr(0, line.find_first_of("{ "));
    EXPECT_EQ(name, current) << "sample outside its family: " << line;
    EXPECT_FALSE(closed[name]) << line;
  }
  for (const auto& [name, n] : types) EXPECT_EQ(n, 1) << name;
}

TEST(PrometheusMetrics, EveryDeclaredFigureIsExported) {
  const std::string text = render_prometheus(testing::filled_status());
  testing::MetricNames declared;
  DaemonStatus s;
  DaemonStatus::fields(s, declared);
  EXPECT_GT(declared.names.size(), 20u);
  for (const auto& name : declared.names)
    EXPECT_NE(text.find("# TYPE " + name + " "), std::string::npos) << name;
}

TEST(PrometheusMetrics, PluginNamesAreMadeValid) {
  EXPECT_EQ(prometheus_name("records.written-ok"), "records_written_ok");
  EXPECT_EQ(prometheus_name("9lives"), "_9lives");
}

}  // namespace
}  // namespace tickd::core
