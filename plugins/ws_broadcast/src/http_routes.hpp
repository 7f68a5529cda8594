// The REST side: /health, /symbols, /info, /candles/{symbol}/{interval},
// /historic and the chart page's static files.
#pragma once

#include "config.hpp"
#include "series_table.hpp"
#include "static_files.hpp"
#include "url.hpp"

#include <tickd/host.hpp>

#include <functional>
#include <string>

namespace tickd::ws {

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  bool is_static = false;  // cacheable page asset rather than live data
};

class HttpRoutes {
 public:
  // `server_stats` adds the server's own figures (client count, ...) to /health.
  HttpRoutes(const Host& host, const Config& config, const SeriesTable& table, const StaticFiles& files,
             std::function<nlohmann::json()> server_stats);

  // Page files need no token: they hold no market data, and a browser cannot add
  // an Authorization header to <script src>.
  bool is_public(const Target& target) const;
  HttpResponse handle(const std::string& method, const Target& target) const;

 private:
  HttpResponse health() const;
  HttpResponse candles(const std::string& symbol, const std::string& interval,
                       const std::string& query) const;
  HttpResponse historic(const std::string& query) const;
  HttpResponse info() const;
  // Parses ?limit=N; writes an error response into `error` when it is invalid.
  bool parse_limit(const std::string& query, std::uint32_t& limit, HttpResponse& error) const;

  const Host& host_;
  const Config& config_;
  const SeriesTable& table_;
  const StaticFiles& files_;
  std::function<nlohmann::json()> server_stats_;
};

HttpResponse json_response(int status, const nlohmann::json& body);

}  // namespace tickd::ws
