// The PostgreSQL tables (same meaning as the SQLite store's) and their forward
// migrations. The version lives in table tickd_schema; kPgMigrations[N] goes
// from version N to N+1.
#pragma once

#include "postgres/pg_connection.hpp"

#include <string>
#include <vector>

namespace tickd::postgres_store {

extern const std::vector<std::string> kPgMigrations;

inline int latest_pg_schema_version() { return static_cast<int>(kPgMigrations.size()); }

// Migrates to the latest version in one transaction (serialized against other
// tickd instances by an advisory lock) and checks the layout. Throws
// PgConfigError naming the cause for a NEWER version or a foreign layout.
void prepare_pg_schema(PgConnection& db);

}  // namespace tickd::postgres_store
