// The cases the Python SDK's config check is held to as well
// (tests/sdk/config_cases.json, tests/sdk/python/test_config.py): one table,
// so the two implementations cannot drift apart.
#include <tickd/config_validation.hpp>
#include <tickd/duration.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

namespace tickd {
namespace {

nlohmann::json cases() {
  std::ifstream in(TICKD_SOURCE_DIR "/tests/sdk/config_cases.json");
  return nlohmann::json::parse(in);
}

TEST(SharedConfigCases, Durations) {
  const auto all = cases();
  ASSERT_GT(all["durations"].size(), 30u);
  for (const auto& c : all["durations"]) {
    const std::string text = c[0];
    const auto got = parse_duration_ms(text);
    if (c[1].is_null())
      EXPECT_EQ(got, std::nullopt) << "'" << text << "'";
    else
      EXPECT_EQ(got, std::optional<std::int64_t>(c[1].get<std::int64_t>())) << "'" << text << "'";
  }
  for (const auto& c : all["formats"]) EXPECT_EQ(format_duration(c[0].get<std::int64_t>()), c[1]);
}

TEST(SharedConfigCases, ValuesAndProblems) {
  const auto all = cases();
  ASSERT_GT(all["configs"].size(), 5u);
  for (const auto& c : all["configs"]) {
    SCOPED_TRACE(c["about"].get<std::string>());
    const auto checked = validate_config(c["schema"], c["config"]);
    if (c.contains("value")) {
      EXPECT_TRUE(checked.ok()) << checked.summary();
      EXPECT_EQ(checked.value, c["value"]);
      continue;
    }
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& p : checked.problems) problems.push_back({p.pointer, p.at_key, p.message});
    EXPECT_EQ(problems, c["problems"]) << problems.dump(1);
  }
}

}  // namespace
}  // namespace tickd
