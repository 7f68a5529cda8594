// Helpers shared by the config tests.
#pragma once

#include "config/config_loader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tickd::core::testing {

// Minimal valid sections, so that each error test adds only its own problem.
inline const char* const kValidFeed = "feed:\n  kind: simulator\n  symbols: [BTCUSDT]\n";
inline const char* const kValidAggregator = "aggregator:\n  intervals: [1s, 1m]\n";

// The errors of loading `yaml` as "t.yaml"; fails the test when it loads.
inline std::vector<std::string> load_errors(const std::string& yaml) {
  try {
    load_config_text(yaml, "t.yaml", "/base");
  } catch (const ConfigError& e) {
    return e.errors();
  }
  ADD_FAILURE() << "expected a ConfigError for:\n" << yaml;
  return {};
}

// The one error of loading `yaml`; fails the test when there is not exactly one.
inline std::string load_error(const std::string& yaml) {
  auto errors = load_errors(yaml);
  EXPECT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  return errors.empty() ? std::string() : errors.front();
}

}  // namespace tickd::core::testing
