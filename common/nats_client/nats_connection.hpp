// How tickd connects to NATS, shared by the `nats` observer plugin and
// `feed.kind: nats`: servers, credentials, TLS, and reconnecting forever.
// Header-only and internal (not installed with the SDK): targets that use it
// link tickd_nats_client, which brings the NATS C client (libnats-dev).
#pragma once

#include <nats/nats.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace tickd {

struct NatsConnectionConfig {
  std::vector<std::string> servers{"nats://127.0.0.1:4222"};
  std::string name = "tickd";  // shown by the server (connz)
  // Credentials: at most one of user/password, token, nkey, creds file.
  // Values come from ${ENV} in the YAML; never logged.
  std::string user, password;
  std::string token;
  std::string nkey_public, nkey_seed_file;
  std::string creds_file;
  // TLS: on when ca_file (or a client certificate) is given.
  std::string ca_file, cert_file, key_file;
  std::int64_t reconnect_wait_ms = 500;
  std::int64_t connect_timeout_ms = 2000;
  // Bytes the client library may buffer for publishes made while it is
  // reconnecting (0: its default, 8 MB). A publisher that must keep order
  // sets 1: a publish during an outage then fails at once and is retried in
  // order, instead of overtaking the ones being resent.
  int reconnect_buffer_bytes = 0;
  // Publishes written to the socket at once instead of by the library's
  // flusher: nothing then waits in the library when a connection drops, to be
  // replayed on reconnect ahead of the records the publisher resends.
  bool send_asap = false;
};

inline std::string nats_error_text(natsStatus s) {
  const char* last = nats_GetLastError(nullptr);
  std::string out = natsStatus_GetText(s);
  if (last && *last) out += std::string(" (") + last + ")";
  return out;
}

inline void nats_check(natsStatus s, const char* what) {
  if (s != NATS_OK) throw std::runtime_error(std::string(what) + ": " + nats_error_text(s));
}

struct NatsOptionsDeleter {
  void operator()(natsOptions* o) const { natsOptions_Destroy(o); }
};
using NatsOptionsPtr = std::unique_ptr<natsOptions, NatsOptionsDeleter>;

// Callbacks run on the client library's threads.
struct NatsConnectionCallbacks {
  natsConnectionHandler connected = nullptr;  // first connect and every reconnect
  natsConnectionHandler disconnected = nullptr;
  natsConnectionHandler closed = nullptr;
  natsErrHandler error = nullptr;
  void* closure = nullptr;
};

// Options that connect in the background (the daemon starts even while NATS
// is down) and reconnect forever, with jitter so restarted clients spread out.
inline NatsOptionsPtr make_nats_options(const NatsConnectionConfig& c, const NatsConnectionCallbacks& cb) {
  natsOptions* raw = nullptr;
  nats_check(natsOptions_Create(&raw), "nats options");
  NatsOptionsPtr o(raw);
  if (c.servers.empty()) throw std::runtime_error("nats: no server given");
  std::vector<const char*> urls;
  for (const auto& s : c.servers) urls.push_back(s.c_str());
  nats_check(natsOptions_SetServers(o.get(), urls.data(), static_cast<int>(urls.size())), "nats servers");
  nats_check(natsOptions_SetName(o.get(), c.name.c_str()), "nats name");
  nats_check(natsOptions_SetTimeout(o.get(), c.connect_timeout_ms), "nats timeout");
  nats_check(natsOptions_SetMaxReconnect(o.get(), -1), "nats reconnect");
  nats_check(natsOptions_SetReconnectWait(o.get(), c.reconnect_wait_ms), "nats reconnect wait");
  nats_check(natsOptions_SetReconnectJitter(o.get(), c.reconnect_wait_ms / 2 + 1, c.reconnect_wait_ms + 1),
             "nats reconnect jitter");
  // A dead server (no FIN, e.g. a killed VM) is noticed within ~6 s.
  nats_check(natsOptions_SetPingInterval(o.get(), 2000), "nats ping interval");
  nats_check(natsOptions_SetMaxPingsOut(o.get(), 3), "nats pings out");
  if (c.reconnect_buffer_bytes > 0)
    nats_check(natsOptions_SetReconnectBufSize(o.get(), c.reconnect_buffer_bytes), "nats reconnect buffer");
  if (c.send_asap) nats_check(natsOptions_SetSendAsap(o.get(), true), "nats send asap");
  if (!c.user.empty() || !c.password.empty())
    nats_check(natsOptions_SetUserInfo(o.get(), c.user.c_str(), c.password.c_str()), "nats user");
  if (!c.token.empty()) nats_check(natsOptions_SetToken(o.get(), c.token.c_str()), "nats token");
  if (!c.nkey_seed_file.empty())
    nats_check(natsOptions_SetNKeyFromSeed(o.get(), c.nkey_public.c_str(), c.nkey_seed_file.c_str()),
               "nats nkey");
  if (!c.creds_file.empty())
    nats_check(natsOptions_SetUserCredentialsFromFiles(o.get(), c.creds_file.c_str(), nullptr),
               "nats creds file");
  if (!c.ca_file.empty() || !c.cert_file.empty()) {
    nats_check(natsOptions_SetSecure(o.get(), true), "nats tls");
    if (!c.ca_file.empty())
      nats_check(natsOptions_LoadCATrustedCertificates(o.get(), c.ca_file.c_str()), "nats tls ca_file");
    if (!c.cert_file.empty())
      nats_check(natsOptions_LoadCertificatesChain(o.get(), c.cert_file.c_str(), c.key_file.c_str()),
                 "nats tls certificate");
  }
  if (cb.disconnected)
    nats_check(natsOptions_SetDisconnectedCB(o.get(), cb.disconnected, cb.closure), "nats callback");
  if (cb.connected)
    nats_check(natsOptions_SetReconnectedCB(o.get(), cb.connected, cb.closure), "nats callback");
  if (cb.closed) nats_check(natsOptions_SetClosedCB(o.get(), cb.closed, cb.closure), "nats callback");
  if (cb.error) nats_check(natsOptions_SetErrorHandler(o.get(), cb.error, cb.closure), "nats callback");
  nats_check(natsOptions_SetRetryOnFailedConnect(o.get(), true, cb.connected, cb.closure), "nats retry");
  return o;
}

// "connected", "connecting", "reconnecting", "closed", ...
inline const char* nats_state_name(natsConnStatus s) {
  switch (s) {
    case NATS_CONN_STATUS_CONNECTED:
      return "connected";
    case NATS_CONN_STATUS_CONNECTING:
      return "connecting";
    case NATS_CONN_STATUS_RECONNECTING:
      return "reconnecting";
    case NATS_CONN_STATUS_CLOSED:
      return "closed";
    case NATS_CONN_STATUS_DRAINING_SUBS:
    case NATS_CONN_STATUS_DRAINING_PUBS:
      return "draining";
    default:
      return "disconnected";
  }
}

}  // namespace tickd
