// A plugin that does nothing: what is left to measure is the host's cost.
#include <tickd/plugin.hpp>

namespace {
class Noop : public tickd::Observer {};
}  // namespace

TICKD_PLUGIN(Noop, "bench_noop", "0.1.0", "Benchmark fixture: ignores every event")
