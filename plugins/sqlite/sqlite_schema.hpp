// The tables of the SQLite store and their forward migrations. The version is
// kept in PRAGMA user_version; version N+1 is reached from N by
// kMigrations[N], so an old database is brought up to date on open.
#pragma once

#include "sqlite/sqlite_database.hpp"

#include <string>
#include <vector>

namespace tickd::sqlite_store {

// One step per version: kMigrations[0] creates version 1 from an empty file.
extern const std::vector<std::string> kMigrations;

inline int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

// Migrates `db` to the latest version in one transaction and checks the layout.
// Throws with a message naming the cause when the file holds a NEWER version,
// tables tickd did not create, or a table that lacks an expected column.
void prepare_schema(Database& db);

}  // namespace tickd::sqlite_store
