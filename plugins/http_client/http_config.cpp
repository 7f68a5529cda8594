#include "http_client/http_config.hpp"

#include <filesystem>
#include <stdexcept>

namespace tickd::http {

std::vector<ConfigKey> http_keys() {
  namespace s = tickd::schema;
  return {
      s::string("ca_file",
                "PEM bundle to verify servers with instead of the system CAs; empty: the system CAs")
          .default_value(""),
      s::duration("connect_timeout", "How long connecting may take").default_value("5s").range("1ms", "10m"),
      s::duration("timeout", "How long one request may take").default_value("10s").range("1ms", "10m"),
  };
}

HttpOptions read_http_options(const ConfigView& config) {
  HttpOptions o;
  o.ca_file = config.string("ca_file");
  if (!o.ca_file.empty() && !std::filesystem::is_regular_file(o.ca_file))
    throw std::invalid_argument("'" + config.path() + ".ca_file' names no file: '" + o.ca_file + "'");
  o.connect_timeout_ms = config.duration("connect_timeout").count();
  o.timeout_ms = config.duration("timeout").count();
  return o;
}

bool is_http_url(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

}  // namespace tickd::http
