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

}  // namespace
