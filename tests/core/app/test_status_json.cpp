// /health's JSON and `tickd stats` share DaemonStatus: every figure survives
// the trip, and a key renamed on one side only is an error naming it.
#include "app/stats_table.hpp"
#include "app/status_json.hpp"
#include "core/app/status_filler.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

TEST(StatusJson, EveryFigureSurvivesTheRoundTrip) {
  const DaemonStatus s = testing::filled_status();
  const nlohmann::json j = status_to_json(s);
  const DaemonStatus back = status_from_json(nlohmann::json::parse(j.dump()));
  EXPECT_EQ(status_to_json(back), j);
  ASSERT_EQ(back.observers.size(), 2u);
  EXPECT_EQ(back.observers[1].metrics.size(), 4u);
  EXPECT_TRUE(back.observers[1].metrics[1].loss);
  EXPECT_FALSE(back.observers[1].metrics[2].counter);
}

// Walks every object key of the document (nested ones too) and yields the
// document with that one key renamed.
void each_renamed(const nlohmann::json& root, nlohmann::json& node, const std::string& path,
                  const std::function<void(const nlohmann::json&, const std::string&)>& f) {
  if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      each_renamed(root, node[i], path + "[" + std::to_string(i) + "]", f);
    return;
  }
  if (!node.is_object()) return;
  std::vector<std::string> keys;
  for (auto& [k, v] : node.items()) keys.push_back(k);
  for (const auto& k : keys) {
    const std::string at = path.empty() ? k : path + "." + k;
    nlohmann::json value = node[k];
    node.erase(k);
    node[k + "_renamed"] = value;
    f(root, at);
    node.erase(k + "_renamed");
    node[k] = value;
    each_renamed(root, node[k], at, f);
  }
}

TEST(StatusJson, AKeyRenamedOnOneSideIsAnErrorNamingIt) {
  nlohmann::json j = status_to_json(testing::filled_status());
  const nlohmann::json original = j;
  int checked = 0;
  each_renamed(j, j, "", [&](const nlohmann::json& doc, const std::string& path) {
    // A family's keys are label values (intervals), not field names.
    if (path.rfind("aggregator.candles_closed.", 0) == 0 || path.rfind("gate.rejected.", 0) == 0) return;
    ++checked;
    try {
      status_from_json(doc);
      ADD_FAILURE() << "renaming '" << path << "' went unnoticed";
    } catch (const StatusFormatError& e) {
      EXPECT_NE(std::string(e.what()).find("'" + path + "'"), std::string::npos) << e.what();
    }
  });
  EXPECT_GT(checked, 40);
  EXPECT_EQ(j, original);
}

TEST(StatusJson, AMistypedFigureIsAnError) {
  nlohmann::json j = status_to_json(testing::filled_status());
  j["feed"]["ticks"] = "12";
  EXPECT_THROW(status_from_json(j), StatusFormatError);
  j = status_to_json(testing::filled_status());
  j["observers"][0]["metrics"][0]["type"] = "histogram";
  EXPECT_THROW(status_from_json(j), StatusFormatError);
}

TEST(StatsTable, ShowsTheFeedEveryObserverItsLossesAndItsOwnFigures) {
  DaemonStatus s;
  s.feed.kind = "binance";
  s.feed.state = "live";
  s.feed.messages = 120;
  s.feed.ticks = 100;
  s.feed.decode_errors = 2;
  s.feed.reconnects = 1;
  s.feed.seconds_since_last_message = 0.5;
  s.aggregator.candles_closed = {{"1m", 7}};
  ObserverStatus o;
  o.name = "store";
  o.config = "1a2b3c4d";
  o.suspended = true;
  o.lost = 12;
  o.metrics.push_back({"records_dropped", "Records dropped", true, true, 12, "", ""});
  s.observers.push_back(o);
  const std::string table = render_stats_table(s);
  for (const char* needle : {"feed binance: live, 120 messages, 100 ticks, 2 decode errors, 1 reconnects",
                             "1m=7", "SUSPENDED 1a2b3c4d", "records_dropped", "(lost)"})
    EXPECT_NE(table.find(needle), std::string::npos) << needle << "\n" << table;
}

}  // namespace
}  // namespace tickd::core
