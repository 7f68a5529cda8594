// The shared library's entry points: the json_snapshot observer as plugin "json_snapshot".
#include "snapshot_observer.hpp"

TICKD_PLUGIN(
    tickd::json_snapshot::SnapshotObserver, "json_snapshot", "1.0.0",
    "Writes the latest tick and candles of every series to a JSON file, atomically, every few seconds")
