// Helpers for the sqlite plugin tests: candles, and reading the database
// through an independent connection (as another process would).
#pragma once

#include "sqlite/sqlite_storage.hpp"

#include <tickd/testing/fake_host.hpp>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

namespace tickd::sqlite_test {

inline Candle candle(std::string_view symbol, TimeMs open_time, double close, bool closed = true) {
  Candle c;
  c.symbol = symbol;
  c.interval = *Interval::parse("1m");
  c.open_time = open_time;
  c.open = close - 1;
  c.high = close + 1;
  c.low = close - 2;
  c.close = close;
  c.volume = 10;
  c.quote_volume = 10 * close;
  c.vwap = close;
  c.trade_count = 7;
  c.closed = closed;
  return c;
}

// Runs one query returning an integer through its own read-only connection.
inline std::int64_t query_int(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    ADD_FAILURE() << "cannot open " << path;
    return -1;
  }
  sqlite3_stmt* stmt = nullptr;
  std::int64_t value = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW)
    value = sqlite3_column_int64(stmt, 0);
  else
    ADD_FAILURE() << "query failed: " << sql << ": " << sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

inline void exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string message = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

// Polls `done` until it holds or `timeout` passes.
inline bool eventually(const std::function<bool()>& done,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

}  // namespace tickd::sqlite_test
