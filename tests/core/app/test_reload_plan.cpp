#include "app/reload_plan.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace tickd::core;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

namespace {

ObserverConfig observer(const std::string& name, bool enabled = true, nlohmann::json config = {}) {
  ObserverConfig o;
  o.name = name;
  o.plugin = "logger";
  o.enabled = enabled;
  o.config = config.is_null() ? nlohmann::json::object() : config;
  return o;
}

TEST(ReloadPlan, UnchangedEntriesAreKeptEvenWhenTheyMoved) {
  auto a = observer("a"), b = observer("b");
  auto moved = b;
  moved.mark = SourceMark{"tickd.yaml", 40, 3};  // another line, same settings
  auto plan = plan_reload({a, b}, {moved, a});
  EXPECT_THAT(plan.keep, ElementsAre("a", "b"));
  EXPECT_THAT(plan.start, IsEmpty());
  EXPECT_THAT(plan.stop, IsEmpty());
  EXPECT_THAT(plan.restart, IsEmpty());
}

TEST(ReloadPlan, StartsStopsAndRestartsWhatChanged) {
  auto plan = plan_reload({observer("kept"), observer("removed"), observer("disabled"),
                           observer("off", false), observer("changed", true, {{"format", "text"}})},
                          {observer("kept"), observer("disabled", false), observer("off", true),
                           observer("changed", true, {{"format", "json"}}), observer("new")});
  EXPECT_THAT(plan.keep, ElementsAre("kept"));
  EXPECT_THAT(plan.stop, ElementsAre("removed", "disabled"));
  EXPECT_THAT(plan.restart, ElementsAre("changed"));
  EXPECT_THAT(plan.start, ElementsAre("off", "new"));
}

TEST(ReloadPlan, EveryFieldButThePositionCounts) {
  auto base = observer("x");
  auto changed = base;
  changed.overflow = Overflow::block;
  EXPECT_FALSE(same_observer(base, changed));
  changed = base;
  changed.symbols = {"BTCUSDT"};
  EXPECT_FALSE(same_observer(base, changed));
  changed = base;
  changed.queue = 1024;
  EXPECT_FALSE(same_observer(base, changed));
  changed = base;
  changed.plugin_mark = SourceMark{"other.yaml", 1, 1};
  EXPECT_TRUE(same_observer(base, changed));
}

TEST(ReloadPlan, ProcessObserversRestartOnlyWhenTheirProcessKeysChange) {
  auto base = observer("py");
  base.plugin.clear();
  base.process = ProcessConfig{};
  base.process->command = {"python3", "-u", "a.py"};
  auto same = base;
  same.process_mark = SourceMark{"other.yaml", 9, 3};
  EXPECT_TRUE(same_observer(base, same));
  auto changed = base;
  changed.process->command.back() = "b.py";
  EXPECT_FALSE(same_observer(base, changed));
  changed = base;
  changed.process->env = {{"MODE", "live"}};
  EXPECT_FALSE(same_observer(base, changed));
  changed = base;
  changed.process->memory_limit_mb = 64;
  EXPECT_FALSE(same_observer(base, changed));
  auto plugin = observer("s");
  auto isolated = plugin;
  isolated.isolation = Isolation::process;
  isolated.process = ProcessConfig{};
  EXPECT_FALSE(same_observer(plugin, isolated));
  auto plan = plan_reload({base, plugin}, {changed, plugin});
  EXPECT_THAT(plan.restart, ElementsAre("py"));
  EXPECT_THAT(plan.keep, ElementsAre("s"));
}

// /health shows the digest: it must follow same_observer, moved lines and all.
TEST(ReloadPlan, TheConfigDigestChangesExactlyWhenTheEntryDoes) {
  auto base = observer("chart");
  base.config = {{"default_symbol", "BTCUSDT"}};
  const std::string digest = observer_config_digest(base);
  EXPECT_EQ(digest.size(), 8u);
  auto moved = base;
  moved.mark = SourceMark{"other.yaml", 40, 5};
  EXPECT_EQ(observer_config_digest(moved), digest);
  auto changed = base;
  changed.config["default_symbol"] = "ETHUSDT";
  EXPECT_NE(observer_config_digest(changed), digest);
  changed = base;
  changed.queue = 1024;
  EXPECT_NE(observer_config_digest(changed), digest);
  changed = base;
  changed.process = ProcessConfig{};
  EXPECT_NE(observer_config_digest(changed), digest);
}

}  // namespace
