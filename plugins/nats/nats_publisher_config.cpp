#include "nats/nats_publisher_config.hpp"

#include <stdexcept>

namespace tickd::nats_out {

namespace {

void check_token(const std::string& key, const std::string& value) {
  if (value.empty() || value.find_first_of(".*> \t\r\n") != std::string::npos)
    throw std::runtime_error("nats config: '" + key +
                             "' must be one subject token (no '.', '*', '>', spaces)");
}

}  // namespace

ConfigSchema publisher_config_schema() {
  namespace s = tickd::schema;
  const PublisherConfig d;
  const StreamSettings st;
  return ConfigSchema{
      s::list("servers", s::string().non_empty(), "NATS server URLs (nats:// or tls://)")
          .default_value(nlohmann::json::array({"nats://127.0.0.1:4222"}))
          .non_empty(),
      s::string("name", "Connection name shown by the server; empty: tickd-<observer>").default_value(""),
      s::string("user", "User name; use ${ENV_NAME}").default_value(""),
      s::string("password", "Password; use ${ENV_NAME} (never logged)").default_value(""),
      s::string("token", "Authentication token; use ${ENV_NAME} (never logged)").default_value(""),
      s::string("creds_file", "A .creds file (JWT and NKey seed)").default_value(""),
      s::object("nkey",
                {s::string("public_key", "The user's public NKey").default_value(""),
                 s::string("seed_file", "File holding the NKey seed (never logged)").default_value("")},
                "NKey authentication: both keys or neither"),
      s::object("tls",
                {s::string("ca_file", "PEM bundle to verify the server with").default_value(""),
                 s::string("cert_file", "Client certificate (PEM)").default_value(""),
                 s::string("key_file", "Client key (PEM)").default_value("")},
                "TLS to the server"),
      s::duration("reconnect_wait", "Wait between reconnect attempts")
          .default_value("500ms")
          .range("10ms", "1m"),
      s::string("prefix", "First subject token: <prefix>.closed.<SYMBOL>.<interval>, ...")
          .default_value(d.prefix),
      s::object(
          "publish",
          {s::boolean("ticks", "Publish ticks on core NATS").default_value(d.ticks),
           s::boolean("updates", "Publish open-candle updates on core NATS").default_value(d.updates),
           s::boolean("partial", "Publish closed candles flagged partial (off for active-active ingests)")
               .default_value(d.partial)},
          "What is published besides closed candles and signals"),
      s::object(
          "stream",
          {s::string("name", "JetStream stream for closed candles and signals").default_value(st.name),
           s::boolean("create", "Create the stream when it is missing").default_value(st.create),
           s::integer("replicas", "Stream replicas").default_value(st.replicas).range(1, 5),
           s::integer("max_age_s", "Oldest message kept, in seconds; 0: no limit")
               .default_value(st.max_age_s)
               .range(0, 100LL * 365 * 86400),
           s::integer("max_bytes", "Stream size limit; -1: no limit").default_value(st.max_bytes).min(-1),
           s::integer("duplicate_window_s", "How long message ids are remembered for de-duplication")
               .default_value(st.duplicate_window_s)
               .range(1, 7 * 86400),
           s::choice("storage", {"file", "memory"}, "Stream storage").default_value("file")},
          "The JetStream stream, created or checked at start"),
      s::integer("max_pending", "JetStream publishes awaiting their ack (at most one per series)")
          .default_value(d.max_pending)
          .range(1, 65536),
      s::integer("backlog", "Closed candles and signals kept while NATS is away (overflow counted as lost)")
          .default_value(d.backlog)
          .range(1, 100000000),
      s::duration("ack_timeout", "A publish not acknowledged this long is sent again")
          .default_value("5s")
          .range("100ms", "10m"),
      s::duration("drain_timeout", "At stop, how long to keep sending what waits")
          .default_value("5s")
          .range("0ms", "10m"),
  };
}

PublisherConfig read_publisher_config(const ConfigView& config, const std::string& observer_name) {
  PublisherConfig out;
  NatsConnectionConfig& c = out.connection;
  c.servers = config.strings("servers");
  c.name = config.string("name");
  if (c.name.empty()) c.name = "tickd-" + observer_name;
  c.user = config.string("user");
  c.password = config.string("password");
  c.token = config.string("token");
  c.creds_file = config.string("creds_file");
  c.reconnect_wait_ms = config.duration("reconnect_wait").count();
  // Order: nothing may wait in the library during an outage (see the outbox).
  c.reconnect_buffer_bytes = 1;
  c.send_asap = true;  // nor in its write buffer, to be replayed before what is resent
  out.prefix = config.string("prefix");
  out.max_pending = config.integer("max_pending");
  out.backlog = config.integer("backlog");
  out.ack_timeout_ms = config.duration("ack_timeout").count();
  out.drain_timeout_ms = config.duration("drain_timeout").count();
  check_token("prefix", out.prefix);

  const ConfigView nkey = config.object("nkey");
  c.nkey_public = nkey.string("public_key");
  c.nkey_seed_file = nkey.string("seed_file");
  if (c.nkey_public.empty() != c.nkey_seed_file.empty())
    throw std::runtime_error("nats config: 'nkey' needs both 'public_key' and 'seed_file'");
  const int methods = (!c.user.empty() || !c.password.empty()) + !c.token.empty() +
                      !c.nkey_seed_file.empty() + !c.creds_file.empty();
  if (methods > 1)
    throw std::runtime_error("nats config: give one of user/password, token, nkey or creds_file");

  const ConfigView tls = config.object("tls");
  c.ca_file = tls.string("ca_file");
  c.cert_file = tls.string("cert_file");
  c.key_file = tls.string("key_file");
  if (c.cert_file.empty() != c.key_file.empty())
    throw std::runtime_error("nats config: 'tls' needs both 'cert_file' and 'key_file' or neither");

  const ConfigView publish = config.object("publish");
  out.ticks = publish.boolean("ticks");
  out.updates = publish.boolean("updates");
  out.partial = publish.boolean("partial");

  const ConfigView stream = config.object("stream");
  StreamSettings& st = out.stream;
  st.name = stream.string("name");
  st.create = stream.boolean("create");
  st.replicas = stream.integer("replicas");
  st.max_age_s = stream.integer("max_age_s");
  st.max_bytes = stream.integer("max_bytes");
  st.duplicate_window_s = stream.integer("duplicate_window_s");
  st.memory = stream.string("storage") == "memory";
  check_token("stream.name", st.name);
  if (st.max_age_s > 0 && st.duplicate_window_s > st.max_age_s)
    throw std::runtime_error("nats config: 'stream.duplicate_window_s' must not exceed 'stream.max_age_s'");
  return out;
}

}  // namespace tickd::nats_out
