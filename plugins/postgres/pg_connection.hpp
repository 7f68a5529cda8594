// A libpq connection that sorts failures into the two kinds the plugin treats
// differently: the server is unreachable or went away (PgIoError: buffer and
// retry) and the server refused us (PgConfigError: wrong password, unknown
// role or database; retrying will not help, so it is an error at start).
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace tickd::postgres_store {

struct PgIoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct PgConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct PgEndpoint {
  std::string host = "127.0.0.1";
  int port = 5432;
  std::string dbname = "tickd";
  std::string user = "tickd";
  std::string password;  // never logged
  std::string sslmode = "prefer";
  int connect_timeout_s = 5;

  // user@host:port/dbname, for log lines.
  std::string describe() const { return user + "@" + host + ":" + std::to_string(port) + "/" + dbname; }
};

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

class PgConnection {
 public:
  explicit PgConnection(const PgEndpoint& endpoint);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs a statement with text parameters (nullptr = NULL); without
  // parameters `sql` may hold several statements. Throws PgIoError
  // when the connection is gone, std::runtime_error for an SQL error.
  Result exec(const std::string& sql, const std::vector<const char*>& params = {});
  bool ok() const { return PQstatus(conn_) == CONNECTION_OK; }

 private:
  PGconn* conn_ = nullptr;
  std::string where_;
};

}  // namespace tickd::postgres_store
