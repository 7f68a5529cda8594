// A plain NATS C client for tests: connect, read a stream back message by
// message, subscribe to core subjects.
#pragma once

#include "nats_client/nats_connection.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace tickd::test_support {

struct StoredMessage {
  std::string subject;
  std::string id;  // Nats-Msg-Id
  std::string data;
};

class NatsTestClient {
 public:
  explicit NatsTestClient(const std::string& url) {
    natsOptions* o = nullptr;
    natsOptions_Create(&o);
    natsOptions_SetURL(o, url.c_str());
    natsOptions_SetMaxReconnect(o, -1);
    natsOptions_SetReconnectWait(o, 100);
    const natsStatus s = natsConnection_Connect(&nc_, o);
    natsOptions_Destroy(o);
    if (s != NATS_OK)
      throw std::runtime_error("test client cannot connect to " + url + ": " + nats_error_text(s));
    nats_check(natsConnection_JetStream(&js_, nc_, nullptr), "test client JetStream");
  }
  ~NatsTestClient() {
    jsCtx_Destroy(js_);
    natsConnection_Destroy(nc_);
  }
  NatsTestClient(const NatsTestClient&) = delete;
  NatsTestClient& operator=(const NatsTestClient&) = delete;

  natsConnection* connection() { return nc_; }
  jsCtx* js() { return js_; }

  // Every message of `stream`, in stream order.
  std::vector<StoredMessage> read_stream(const std::string& stream) {
    std::vector<StoredMessage> out;
    jsStreamInfo* si = nullptr;
    if (js_GetStreamInfo(&si, js_, stream.c_str(), nullptr, nullptr) != NATS_OK) return out;
    const std::uint64_t first = si->State.FirstSeq, last = si->State.LastSeq;
    jsStreamInfo_Destroy(si);
    for (std::uint64_t seq = first; seq != 0 && seq <= last; ++seq) {
      natsMsg* msg = nullptr;
      if (js_GetMsg(&msg, js_, stream.c_str(), seq, nullptr, nullptr) != NATS_OK) continue;
      StoredMessage m;
      m.subject = natsMsg_GetSubject(msg);
      m.data.assign(natsMsg_GetData(msg), static_cast<std::size_t>(natsMsg_GetDataLength(msg)));
      const char* id = nullptr;
      if (natsMsgHeader_Get(msg, "Nats-Msg-Id", &id) == NATS_OK && id) m.id = id;
      out.push_back(std::move(m));
      natsMsg_Destroy(msg);
    }
    return out;
  }

  std::uint64_t stream_messages(const std::string& stream) {
    jsStreamInfo* si = nullptr;
    if (js_GetStreamInfo(&si, js_, stream.c_str(), nullptr, nullptr) != NATS_OK) return 0;
    const std::uint64_t n = si->State.Msgs;
    jsStreamInfo_Destroy(si);
    return n;
  }

 private:
  natsConnection* nc_ = nullptr;
  jsCtx* js_ = nullptr;
};

}  // namespace tickd::test_support
