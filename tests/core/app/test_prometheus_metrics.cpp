#include "app/prometheus_metrics.hpp"

#include <gtest/gtest.h>

using tickd::core::render_prometheus;
using tickd::core::render_stats_table;

namespace {

const nlohmann::json kStatus = nlohmann::json::parse(R"({
  "feed": {"kind": "binance", "state": "live", "messages": 120, "ticks": 100, "decode_errors": 2,
           "reconnects": 1, "seconds_since_last_message": 0.5},
  "aggregator": {"late_dropped": 3, "late_amended": 0, "gap_filled": 6, "gap_fill_truncated": 2,
                 "candles_closed": {"1m": 7, "5m": 1}},
  "signals_published": 4,
  "observers": [{"name": "we\"ird", "delivered": 9, "dropped": 1, "failures": 0, "skipped": 0,
                 "queue_depth": 5, "suspended": true}]
})");

TEST(PrometheusMetrics, RendersEveryFamilyWithTypeAndEscapedLabels) {
  std::string text = render_prometheus(kStatus);
  for (const char* line :
       {"# TYPE tickd_feed_messages_total counter", "tickd_feed_messages_total 120",
        "tickd_feed_state{kind=\"binance\",state=\"live\"} 1", "tickd_feed_decode_errors_total 2",
        "tickd_feed_reconnects_total 1", "tickd_candles_closed_total{interval=\"1m\"} 7",
        "tickd_late_ticks_dropped_total 3", "tickd_gap_filled_total 6", "tickd_gap_fill_truncated_total 2",
        "tickd_signals_published_total 4", "tickd_observer_queue_depth{observer=\"we\\\"ird\"} 5",
        "tickd_observer_suspended{observer=\"we\\\"ird\"} 1"})
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
}

TEST(PrometheusMetrics, StatsTableNamesTheSuspendedObserver) {
  std::string table = render_stats_table(kStatus);
  EXPECT_NE(table.find("feed binance: live, 120 messages, 100 ticks, 2 decode errors, 1 reconnects"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("SUSPENDED"), std::string::npos) << table;
}

}  // namespace
