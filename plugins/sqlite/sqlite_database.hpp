// Thin RAII over the sqlite3 C API: a connection and prepared statements that
// throw std::runtime_error with SQLite's own message on failure.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace tickd::sqlite_store {

class Database {
 public:
  // `flags` are sqlite3_open_v2 flags. Throws naming `path` and the cause.
  Database(const std::string& path, int flags);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(const std::string& sql);
  // Runs a query returning one integer (e.g. a PRAGMA).
  std::int64_t query_int(const std::string& sql);
  std::string error() const { return sqlite3_errmsg(db_); }
  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

class Statement {
 public:
  Statement(Database& db, const std::string& sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  // The text must stay alive until run()/reset(): it is not copied.
  Statement& bind(int index, std::string_view value);
  // Steps once: true while a row is available, false when done. Throws on error.
  bool step();
  // Steps to completion and resets, ready for the next bind.
  void run();
  void reset();

  std::int64_t int_at(int column) const { return sqlite3_column_int64(stmt_, column); }
  double double_at(int column) const { return sqlite3_column_double(stmt_, column); }
  bool null_at(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::string text_at(int column) const;

 private:
  void check(int rc, const char* what);

  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace tickd::sqlite_store
