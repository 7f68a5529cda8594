// The shared-library entry points of the sqlite storage plugin.
#include "sqlite/sqlite_storage.hpp"

#include <tickd/plugin.hpp>

TICKD_PLUGIN(tickd::sqlite_store::SqliteStorage, "sqlite", "1.0.0",
             "Stores closed candles, signals and optionally ticks in a local SQLite file; restores history")
