// The NATS test fixtures themselves: a JetStream server keeps its stream across
// a restart, and a 3-node cluster keeps a replicated stream writable when one
// node is killed.
#include "support/nats_servers.hpp"
#include "nats_test_client.hpp"

#include <gtest/gtest.h>

using tickd::test_support::NatsCluster;
using tickd::test_support::NatsServer;
using tickd::test_support::NatsTestClient;

namespace {

void add_stream(jsCtx* js, const char* name, const char* subject, int replicas) {
  jsStreamConfig cfg;
  jsStreamConfig_Init(&cfg);
  cfg.Name = name;
  const char* subjects[] = {subject};
  cfg.Subjects = subjects;
  cfg.SubjectsLen = 1;
  cfg.Replicas = replicas;
  jsStreamInfo* si = nullptr;
  jsErrCode jerr = static_cast<jsErrCode>(0);
  ASSERT_EQ(js_AddStream(&si, js, &cfg, nullptr, &jerr), NATS_OK) << jerr;
  jsStreamInfo_Destroy(si);
}

void publish(jsCtx* js, const char* subject, const std::string& data) {
  jsPubAck* ack = nullptr;
  natsStatus s = NATS_TIMEOUT;
  // Right after a stream is created or a node is lost the stream may be electing
  // a leader, which takes seconds on a loaded machine: up to 30 s.
  for (int attempt = 0; attempt < 150 && s != NATS_OK; ++attempt) {
    s = js_Publish(&ack, js, subject, data.data(), static_cast<int>(data.size()), nullptr, nullptr);
    if (s != NATS_OK) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(s, NATS_OK) << natsStatus_GetText(s);
  jsPubAck_Destroy(ack);
}

}  // namespace

TEST(NatsServerFixture, JetStreamKeepsTheStreamAcrossARestart) {
  NatsServer server;
  {
    NatsTestClient client(server.url());
    add_stream(client.js(), "T", "t.>", 1);
    publish(client.js(), "t.a", "one");
  }
  server.stop();
  server.start();
  NatsTestClient client(server.url());
  auto messages = client.read_stream("T");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].subject, "t.a");
  EXPECT_EQ(messages[0].data, "one");
}

TEST(NatsServerFixture, ClusterWithThreeReplicasSurvivesTheLossOfOneNode) {
  NatsCluster cluster;
  NatsTestClient client(cluster.node(0).url());
  add_stream(client.js(), "R", "r.>", 3);
  publish(client.js(), "r.a", "before");
  cluster.node(2).kill_hard();
  publish(client.js(), "r.a", "after");
  auto messages = client.read_stream("R");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[1].data, "after");
}
