// The shared-library entry points of the postgres storage plugin.
#include "postgres/postgres_storage.hpp"

#include <tickd/plugin.hpp>

TICKD_PLUGIN(tickd::postgres_store::PostgresStorage, "postgres", "1.0.0",
             "Stores closed candles, signals and optionally ticks in PostgreSQL; restores history")
