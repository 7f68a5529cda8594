#include "config/env_substitution.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace tickd::core {
namespace {

TEST(EnvSubstitution, ReplacesEveryReference) {
  ::setenv("TICKD_TEST_A", "alpha", 1);
  ::setenv("TICKD_TEST_EMPTY", "", 1);
  const auto out = substitute_env("x${TICKD_TEST_A}-${TICKD_TEST_A}${TICKD_TEST_EMPTY}!");
  EXPECT_EQ(out.error, "");
  EXPECT_EQ(out.value, "xalpha-alpha!");
  EXPECT_EQ(substitute_env("no references, $HOME or $ alone").value, "no references, $HOME or $ alone");
}

TEST(EnvSubstitution, UnsetVariableIsNamed) {
  ::unsetenv("TICKD_TEST_UNSET");
  EXPECT_EQ(substitute_env("a${TICKD_TEST_UNSET}b").error,
            "environment variable 'TICKD_TEST_UNSET' is not set");
}

TEST(EnvSubstitution, MalformedReferencesAreErrors) {
  EXPECT_NE(substitute_env("${TICKD_TEST_A").error.find("unterminated"), std::string::npos);
  EXPECT_NE(substitute_env("${}").error.find("invalid environment variable name ''"), std::string::npos);
  EXPECT_NE(substitute_env("${1X}").error.find("invalid environment variable name '1X'"), std::string::npos);
  EXPECT_NE(substitute_env("${A-B}").error.find("'A-B'"), std::string::npos);
}

}  // namespace
}  // namespace tickd::core
