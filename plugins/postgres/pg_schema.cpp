#include "postgres/pg_schema.hpp"

#include <set>

namespace tickd::postgres_store {

const std::vector<std::string> kPgMigrations = {
    R"sql(
CREATE TABLE tickd_schema(version integer NOT NULL);
INSERT INTO tickd_schema VALUES (0);
CREATE TABLE candles(
  symbol text NOT NULL, interval_s integer NOT NULL, open_time bigint NOT NULL,
  open double precision NOT NULL, high double precision NOT NULL, low double precision NOT NULL,
  close double precision NOT NULL, volume double precision NOT NULL, quote_volume double precision NOT NULL,
  vwap double precision NOT NULL, trade_count bigint NOT NULL, flags integer NOT NULL,
  PRIMARY KEY(symbol, interval_s, open_time));
CREATE TABLE signals(
  source text NOT NULL, symbol text NOT NULL, interval_s integer NOT NULL, time bigint NOT NULL,
  side text NOT NULL, strength double precision NOT NULL, price double precision NOT NULL, text text NOT NULL,
  PRIMARY KEY(source, symbol, interval_s, time, side));
CREATE TABLE ticks(
  symbol text NOT NULL, time bigint NOT NULL, price double precision NOT NULL, quantity double precision NOT NULL,
  trade_id bigint NOT NULL, trade_count bigint NOT NULL, side integer NOT NULL);
CREATE UNIQUE INDEX ticks_by_trade ON ticks(symbol, trade_id) WHERE trade_id >= 0;
CREATE INDEX ticks_by_time ON ticks(symbol, time);
)sql",
};

namespace {

struct ExpectedTable {
  const char* name;
  std::vector<std::string> columns;
};

const std::vector<ExpectedTable> kTables = {
    {"candles",
     {"symbol", "interval_s", "open_time", "open", "high", "low", "close", "volume", "quote_volume", "vwap",
      "trade_count", "flags"}},
    {"signals", {"source", "symbol", "interval_s", "time", "side", "strength", "price", "text"}},
    {"ticks", {"symbol", "time", "price", "quantity", "trade_id", "trade_count", "side"}},
};

std::set<std::string> columns_of(PgConnection& db, const char* table) {
  auto r = db.exec(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND "
      "table_name = $1",
      {table});
  std::set<std::string> out;
  for (int i = 0; i < PQntuples(r.get()); ++i) out.insert(PQgetvalue(r.get(), i, 0));
  return out;
}

int stored_version(PgConnection& db) {
  if (columns_of(db, "tickd_schema").empty()) return 0;
  auto r = db.exec("SELECT max(version) FROM tickd_schema");
  return PQgetisnull(r.get(), 0, 0) ? 0 : std::stoi(PQgetvalue(r.get(), 0, 0));
}

void check(PgConnection& db) {
  const int version = stored_version(db);
  if (version > latest_pg_schema_version())
    throw PgConfigError("postgres schema version " + std::to_string(version) +
                        " is newer than this tickd supports (" + std::to_string(latest_pg_schema_version()) +
                        "); upgrade tickd or use another database");
  if (version == 0)
    for (const auto& t : kTables)
      if (!columns_of(db, t.name).empty())
        throw PgConfigError(
            std::string("postgres table '") + t.name +
            "' exists but there is no tickd_schema version: unknown table layout; use another "
            "database or schema, or drop the table");
  for (int v = version; v < latest_pg_schema_version(); ++v)
    db.exec(kPgMigrations[static_cast<std::size_t>(v)]);
  db.exec("UPDATE tickd_schema SET version = " + std::to_string(latest_pg_schema_version()));
  for (const auto& t : kTables) {
    const auto have = columns_of(db, t.name);
    for (const auto& column : t.columns)
      if (!have.count(column))
        throw PgConfigError(std::string("postgres table '") + t.name + "' has no column '" + column +
                            "': unknown table layout, not written by this tickd");
  }
}

}  // namespace

void prepare_pg_schema(PgConnection& db) {
  db.exec("BEGIN");
  try {
    // Two daemons starting on one empty database must not both create tables.
    db.exec("SELECT pg_advisory_xact_lock(7361626)");
    check(db);
    db.exec("COMMIT");
  } catch (const PgIoError&) {
    throw;
  } catch (...) {
    if (db.ok()) {
      try {
        db.exec("ROLLBACK");
      } catch (...) {
      }
    }
    throw;
  }
}

}  // namespace tickd::postgres_store
