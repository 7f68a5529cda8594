#include "postgres/pg_connection.hpp"

namespace tickd::postgres_store {

namespace {

// libpq reports connection failures as text only; these phrases (stable across
// PostgreSQL versions) mean the server answered and refused us.
bool refused_by_server(const std::string& message) {
  for (const char* phrase :
       {"password authentication failed", "no password supplied", "authentication failed", "does not exist",
        "no pg_hba.conf entry", "permission denied", "SCRAM"})
    if (message.find(phrase) != std::string::npos) return true;
  return false;
}

std::string trimmed(const char* text) {
  std::string s = text ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

PgConnection::PgConnection(const PgEndpoint& e) : where_("postgres " + e.describe()) {
  const std::string port = std::to_string(e.port);
  const std::string timeout = std::to_string(e.connect_timeout_s);
  const char* keys[] = {"host",
                        "port",
                        "dbname",
                        "user",
                        "password",
                        "sslmode",
                        "connect_timeout",
                        "application_name",
                        "keepalives_idle",
                        nullptr};
  const char* values[] = {
      e.host.c_str(),    port.c_str(),    e.dbname.c_str(), e.user.c_str(), e.password.c_str(),
      e.sslmode.c_str(), timeout.c_str(), "tickd",          "30",           nullptr};
  conn_ = PQconnectdbParams(keys, values, 0);
  if (!conn_) throw PgIoError(where_ + ": out of memory");
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string why = trimmed(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    if (refused_by_server(why)) throw PgConfigError(where_ + ": " + why);
    throw PgIoError(where_ + ": cannot connect: " + why);
  }
  // Warnings and notices (e.g. "relation already exists, skipping") are not
  // worth a line each on stderr.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

PgConnection::~PgConnection() {
  if (conn_) PQfinish(conn_);
}

Result PgConnection::exec(const std::string& sql, const std::vector<const char*>& params) {
  // Without parameters PQexec, which also runs multi-statement scripts (migrations).
  Result r(params.empty() ? PQexec(conn_, sql.c_str())
                          : PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()), nullptr,
                                         params.data(), nullptr, nullptr, 0));
  const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return r;
  const std::string why = trimmed(PQerrorMessage(conn_));
  if (PQstatus(conn_) != CONNECTION_OK) throw PgIoError(where_ + ": connection lost: " + why);
  throw std::runtime_error(where_ + ": " + why);
}

}  // namespace tickd::postgres_store
