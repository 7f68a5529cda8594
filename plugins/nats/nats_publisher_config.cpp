#include "nats/nats_publisher_config.hpp"

#include "storage_common/config_reader.hpp"

#include <stdexcept>

namespace tickd::nats_out {

namespace {

using storage::ConfigReader;

// Takes a nested mapping out of `config` (so the outer reader does not see an
// unknown key); null when absent.
nlohmann::json take(nlohmann::json& config, const char* key) {
  if (!config.is_object() || !config.contains(key)) return nullptr;
  nlohmann::json out = config[key];
  config.erase(key);
  if (!out.is_object()) throw std::runtime_error(std::string("nats config: '") + key + "' must be a mapping");
  return out;
}

std::vector<std::string> read_servers(nlohmann::json& config) {
  if (!config.is_object() || !config.contains("servers")) return {"nats://127.0.0.1:4222"};
  nlohmann::json v = config["servers"];
  config.erase("servers");
  std::vector<std::string> out;
  if (v.is_string()) {
    out.push_back(v.get<std::string>());
  } else if (v.is_array()) {
    for (const auto& s : v) {
      if (!s.is_string()) throw std::runtime_error("nats config: 'servers' must list URL strings");
      out.push_back(s.get<std::string>());
    }
  } else {
    throw std::runtime_error("nats config: 'servers' must be a URL or a list of URLs");
  }
  if (out.empty()) throw std::runtime_error("nats config: 'servers' must not be empty");
  return out;
}

void check_token(const std::string& key, const std::string& value) {
  if (value.empty() || value.find_first_of(".*> \t\r\n") != std::string::npos)
    throw std::runtime_error("nats config: '" + key +
                             "' must be one subject token (no '.', '*', '>', spaces)");
}

}  // namespace

PublisherConfig read_publisher_config(const nlohmann::json& block, const std::string& observer_name) {
  PublisherConfig out;
  nlohmann::json config = block.is_null() ? nlohmann::json::object() : block;
  out.connection.servers = read_servers(config);
  const nlohmann::json nkey = take(config, "nkey");
  const nlohmann::json tls = take(config, "tls");
  const nlohmann::json publish = take(config, "publish");
  const nlohmann::json stream = take(config, "stream");

  ConfigReader r(config, "nats");
  NatsConnectionConfig& c = out.connection;
  c.name = r.string("name", "tickd-" + observer_name);
  c.user = r.string("user", "");
  c.password = r.string("password", "");
  c.token = r.string("token", "");
  c.creds_file = r.string("creds_file", "");
  c.reconnect_wait_ms = r.integer("reconnect_wait_ms", c.reconnect_wait_ms, 10, 60000);
  // Order: nothing may wait in the library during an outage (see the outbox).
  c.reconnect_buffer_bytes = 1;
  out.prefix = r.string("prefix", out.prefix);
  out.max_pending = r.integer("max_pending", out.max_pending, 1, 65536);
  out.backlog = r.integer("backlog", out.backlog, 1, 100000000);
  out.ack_timeout_ms = r.integer("ack_timeout_ms", out.ack_timeout_ms, 100, 600000);
  out.drain_timeout_ms = r.integer("drain_timeout_ms", out.drain_timeout_ms, 0, 600000);
  r.finish();
  check_token("prefix", out.prefix);

  if (!nkey.is_null()) {
    ConfigReader k(nkey, "nats nkey");
    c.nkey_public = k.string("public_key", "");
    c.nkey_seed_file = k.string("seed_file", "");
    k.finish();
    if (c.nkey_public.empty() || c.nkey_seed_file.empty())
      throw std::runtime_error("nats config: 'nkey' needs both 'public_key' and 'seed_file'");
  }
  const int methods = (!c.user.empty() || !c.password.empty()) + !c.token.empty() +
                      !c.nkey_seed_file.empty() + !c.creds_file.empty();
  if (methods > 1)
    throw std::runtime_error("nats config: give one of user/password, token, nkey or creds_file");
  if (!tls.is_null()) {
    ConfigReader t(tls, "nats tls");
    c.ca_file = t.string("ca_file", "");
    c.cert_file = t.string("cert_file", "");
    c.key_file = t.string("key_file", "");
    t.finish();
    if (c.cert_file.empty() != c.key_file.empty())
      throw std::runtime_error("nats config: 'tls' needs both 'cert_file' and 'key_file' or neither");
  }
  if (!publish.is_null()) {
    ConfigReader p(publish, "nats publish");
    out.ticks = p.boolean("ticks", out.ticks);
    out.updates = p.boolean("updates", out.updates);
    out.partial = p.boolean("partial", out.partial);
    p.finish();
  }
  if (!stream.is_null()) {
    ConfigReader s(stream, "nats stream");
    StreamSettings& st = out.stream;
    st.name = s.string("name", st.name);
    st.create = s.boolean("create", st.create);
    st.replicas = s.integer("replicas", st.replicas, 1, 5);
    st.max_age_s = s.integer("max_age_s", st.max_age_s, 0, 100LL * 365 * 86400);
    st.max_bytes = s.integer("max_bytes", st.max_bytes, -1, INT64_MAX);
    st.duplicate_window_s = s.integer("duplicate_window_s", st.duplicate_window_s, 1, 7 * 86400);
    const std::string storage = s.string("storage", "file");
    if (storage != "file" && storage != "memory")
      throw std::runtime_error("nats config: 'stream.storage' must be file or memory");
    st.memory = storage == "memory";
    s.finish();
    check_token("stream.name", st.name);
    if (st.max_age_s > 0 && st.duplicate_window_s > st.max_age_s)
      throw std::runtime_error("nats config: 'stream.duplicate_window_s' must not exceed 'stream.max_age_s'");
  }
  return out;
}

}  // namespace tickd::nats_out
