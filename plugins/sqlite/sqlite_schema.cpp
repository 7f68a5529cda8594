#include "sqlite/sqlite_schema.hpp"

#include <set>
#include <stdexcept>

namespace tickd::sqlite_store {

// Version 1 held candles and signals; version 2 added the candle's vwap (NULL
// in rows written by version 1: restore derives it) and the ticks table.
const std::vector<std::string> kMigrations = {
    R"sql(
CREATE TABLE candles(
  symbol TEXT NOT NULL, interval_s INTEGER NOT NULL, open_time INTEGER NOT NULL,
  open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL,
  volume REAL NOT NULL, quote_volume REAL NOT NULL, trade_count INTEGER NOT NULL, flags INTEGER NOT NULL,
  PRIMARY KEY(symbol, interval_s, open_time)) WITHOUT ROWID;
CREATE TABLE signals(
  source TEXT NOT NULL, symbol TEXT NOT NULL, interval_s INTEGER NOT NULL, time INTEGER NOT NULL,
  side TEXT NOT NULL, strength REAL NOT NULL, price REAL NOT NULL, text TEXT NOT NULL,
  PRIMARY KEY(source, symbol, interval_s, time, side)) WITHOUT ROWID;
)sql",
    R"sql(
ALTER TABLE candles ADD COLUMN vwap REAL;
CREATE TABLE ticks(
  symbol TEXT NOT NULL, time INTEGER NOT NULL, price REAL NOT NULL, quantity REAL NOT NULL,
  trade_id INTEGER NOT NULL, trade_count INTEGER NOT NULL, side INTEGER NOT NULL);
CREATE UNIQUE INDEX ticks_by_trade ON ticks(symbol, trade_id) WHERE trade_id >= 0;
CREATE INDEX ticks_by_time ON ticks(symbol, time);
)sql",
};

namespace {

struct ExpectedTable {
  const char* name;
  std::vector<std::string> columns;
};

const std::vector<ExpectedTable>& expected_tables() {
  static const std::vector<ExpectedTable> tables = {
      {"candles",
       {"symbol", "interval_s", "open_time", "open", "high", "low", "close", "volume", "quote_volume",
        "trade_count", "flags", "vwap"}},
      {"signals", {"source", "symbol", "interval_s", "time", "side", "strength", "price", "text"}},
      {"ticks", {"symbol", "time", "price", "quantity", "trade_id", "trade_count", "side"}},
  };
  return tables;
}

std::set<std::string> columns_of(Database& db, const std::string& table) {
  std::set<std::string> out;
  Statement stmt(db, "SELECT name FROM pragma_table_info(?1)");
  stmt.bind(1, std::string_view(table));
  while (stmt.step()) out.insert(stmt.text_at(0));
  return out;
}

void check_layout(Database& db, int version) {
  for (const auto& table : expected_tables()) {
    const auto have = columns_of(db, table.name);
    if (have.empty())
      throw std::runtime_error("sqlite '" + db.path() + "': table '" + table.name +
                               "' is missing (schema version " + std::to_string(version) +
                               "): the database was changed outside tickd");
    for (const auto& column : table.columns)
      if (!have.count(column))
        throw std::runtime_error("sqlite '" + db.path() + "': table '" + table.name + "' has no column '" +
                                 column + "' (schema version " + std::to_string(version) +
                                 "): unknown table layout, not written by this tickd");
  }
}

}  // namespace

void prepare_schema(Database& db) {
  db.exec("BEGIN IMMEDIATE");
  try {
    const int version = static_cast<int>(db.query_int("PRAGMA user_version"));
    if (version > latest_schema_version())
      throw std::runtime_error("sqlite '" + db.path() + "': schema version " + std::to_string(version) +
                               " is newer than this tickd supports (" +
                               std::to_string(latest_schema_version()) +
                               "); upgrade tickd or use another path");
    if (version == 0) {
      for (const auto& table : expected_tables())
        if (!columns_of(db, table.name).empty())
          throw std::runtime_error("sqlite '" + db.path() + "': table '" + table.name +
                                   "' exists but the file has no tickd schema version (user_version 0): "
                                   "unknown table layout; use another path or remove the table");
    }
    for (int v = version; v < latest_schema_version(); ++v) db.exec(kMigrations[static_cast<std::size_t>(v)]);
    db.exec("PRAGMA user_version = " + std::to_string(latest_schema_version()));
    check_layout(db, latest_schema_version());
    db.exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace tickd::sqlite_store
