// cairo's text API loads fontconfig, which keeps its configuration and font
// caches for the life of the process (a daemon never releases them). The
// leak checker would report them at exit, so the test binary releases them
// after the last test, as a well-behaved short-lived program does.
#include <cairo.h>
#include <fontconfig/fontconfig.h>

#include <gtest/gtest.h>

namespace {

class ReleaseFontCaches : public ::testing::Environment {
 public:
  void TearDown() override {
    cairo_debug_reset_static_data();
    FcFini();
  }
};

const auto* const kRelease = ::testing::AddGlobalTestEnvironment(new ReleaseFontCaches);

}  // namespace
