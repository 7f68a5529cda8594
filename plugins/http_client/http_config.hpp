// The HTTP keys webhook and telegram share: `ca_file`, `connect_timeout` and
// `timeout`, as one schema fragment and its reader.
#pragma once

#include "http_client/http_client.hpp"

#include <tickd/config_schema.hpp>
#include <tickd/config_view.hpp>

#include <vector>

namespace tickd::http {

std::vector<ConfigKey> http_keys();

// Throws std::invalid_argument when ca_file names no file.
HttpOptions read_http_options(const ConfigView& config);

// Either scheme; the message never shows more of the URL than redact_url().
bool is_http_url(const std::string& url);

}  // namespace tickd::http
