// The sqlite plugin's schema versioning and its errors at start: newer
// versions, foreign layouts, unusable paths, bad config.
#include "sqlite/sqlite_schema.hpp"
#include "sqlite_test_support.hpp"
#include "support/temp_dir.hpp"

#include <fstream>

namespace tickd::sqlite_test {
namespace {

using nlohmann::json;
using test_support::TempDir;

// start() must throw, and its message must contain every one of `needles`.
void expect_start_error(const json& config, std::initializer_list<std::string> needles) {
  testing::FakeHost host("store", config);
  sqlite_store::SqliteStorage store;
  try {
    store.start(host.host());
    ADD_FAILURE() << "start succeeded with config " << config.dump();
  } catch (const std::exception& e) {
    for (const auto& needle : needles)
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(SqliteSchemaTest, NewDatabaseGetsTheLatestVersionInWalMode) {
  TempDir dir;
  testing::FakeHost host("store", json{{"path", dir.file("new.db")}});
  sqlite_store::SqliteStorage store;
  store.start(host.host());
  EXPECT_EQ(query_int(dir.file("new.db"), "PRAGMA user_version"), sqlite_store::latest_schema_version());
  EXPECT_EQ(
      query_int(dir.file("new.db"), "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"),
      1);
  store.stop();
}

TEST(SqliteSchemaTest, VersionOneIsMigratedForwardKeepingItsRows) {
  TempDir dir;
  const auto path = dir.file("v1.db");
  exec(path, sqlite_store::kMigrations[0] + "PRAGMA user_version = 1;" +
                 "INSERT INTO candles VALUES('XRPETH', 60, 1570752000000, 1, 3, 0.5, 2, 4, 6, 9, 1);");
  testing::FakeHost host("store", json{{"path", path}});
  sqlite_store::SqliteStorage store;
  store.start(host.host());
  EXPECT_EQ(query_int(path, "PRAGMA user_version"), 2);
  EXPECT_EQ(query_int(path, "SELECT count(*) FROM ticks"), 0);
  const auto restored = store.restore("XRPETH", *Interval::parse("1m"), 10);
  ASSERT_EQ(restored.size(), 1u);
  EXPECT_DOUBLE_EQ(restored[0].close, 2);
  EXPECT_DOUBLE_EQ(restored[0].vwap, 1.5);  // derived: quote_volume / volume
  EXPECT_EQ(restored[0].trade_count, 9u);
  store.stop();
}

TEST(SqliteSchemaTest, NewerVersionIsRefused) {
  TempDir dir;
  exec(dir.file("future.db"), "PRAGMA user_version = 99;");
  expect_start_error({{"path", dir.file("future.db")}}, {"schema version 99", "newer", "future.db"});
}

TEST(SqliteSchemaTest, ForeignTableWithoutVersionIsRefused) {
  TempDir dir;
  exec(dir.file("foreign.db"), "CREATE TABLE candles(ts INTEGER, price REAL);");
  expect_start_error({{"path", dir.file("foreign.db")}}, {"candles", "unknown table layout"});
  // Nothing was changed in the foreign file.
  EXPECT_EQ(query_int(dir.file("foreign.db"), "PRAGMA user_version"), 0);
  EXPECT_EQ(query_int(dir.file("foreign.db"), "SELECT count(*) FROM sqlite_master"), 1);
}

TEST(SqliteSchemaTest, VersionedTableMissingAColumnIsRefused) {
  TempDir dir;
  exec(dir.file("altered.db"), sqlite_store::kMigrations[0] + sqlite_store::kMigrations[1] +
                                   "ALTER TABLE signals DROP COLUMN text; PRAGMA user_version = 2;");
  expect_start_error({{"path", dir.file("altered.db")}}, {"signals", "no column 'text'"});
}

TEST(SqliteSchemaTest, UnrelatedTablesAreLeftAlone) {
  TempDir dir;
  exec(dir.file("shared.db"), "CREATE TABLE notes(x TEXT);");
  testing::FakeHost host("store", json{{"path", dir.file("shared.db")}});
  sqlite_store::SqliteStorage store;
  store.start(host.host());
  store.stop();
  EXPECT_EQ(query_int(dir.file("shared.db"), "SELECT count(*) FROM notes"), 0);
}

TEST(SqliteSchemaTest, UnusablePathsAreClearErrorsAtStart) {
  TempDir dir;
  expect_start_error({{"path", dir.file("missing/dir/tickd.db")}}, {"missing/dir", "does not exist"});
  { std::ofstream(dir.file("plain_file")) << "x"; }
  expect_start_error({{"path", dir.file("plain_file/tickd.db")}}, {"plain_file", "is not a directory"});
  expect_start_error({{"path", dir.path().string()}}, {"is a directory"});
  { std::ofstream(dir.file("junk.db")) << std::string(4096, 'x'); }
  expect_start_error({{"path", dir.file("junk.db")}}, {"junk.db", "not a database"});
  expect_start_error({{"path", ""}}, {"must not be empty"});
}

TEST(SqliteSchemaTest, BadConfigIsAClearErrorAtStart) {
  TempDir dir;
  expect_start_error({{"path", dir.file("a.db")}, {"bach_size", 5}},
                     {"unknown key 'bach_size' in 'config' (did you mean 'batch_size'?)"});
  expect_start_error({{"path", dir.file("a.db")}, {"batch_size", 0}},
                     {"'config.batch_size' must be an integer from 1 to 100000, got 0"});
  expect_start_error({{"path", nlohmann::json::array({"a.db"})}},
                     {"'config.path' must be a string, got a list"});
  expect_start_error({{"path", dir.file("a.db")}, {"store_ticks", "yes"}},
                     {"'config.store_ticks' must be true or false, got 'yes'"});
  expect_start_error({{"path", dir.file("a.db")}, {"max_delay", "1.2.3s"}},
                     {"'config.max_delay' must be a duration from 0s to 1m, got '1.2.3s'"});
}

}  // namespace
}  // namespace tickd::sqlite_test
