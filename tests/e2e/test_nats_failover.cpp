// Failures around the bus, with real daemons and real nats-servers: the node
// of a three-node JetStream cluster (replicas 3) that the ingest is connected
// to, killed mid-stream; and one of two active-active ingests on the same
// replay, killed mid-stream. Either way the edge ends with exactly the closed
// candles of an uninterrupted run, each once.
#include "e2e/nats_relay_fixture.hpp"

#include <csignal>

namespace tickd::e2e {
namespace {

using namespace nats_relay;
using namespace std::chrono_literals;
using test_support::NatsCluster;
using test_support::NatsServer;
using test_support::wait_until;

// The index of the cluster node that holds a client connection named `name`
// (/connz of each node's monitoring port), or -1.
int node_serving(NatsCluster& cluster, const std::string& name) {
  for (int i = 0; i < 3; ++i) {
    const auto reply = http_get(cluster.node(i).monitor_port(), "/connz");
    const auto j = nlohmann::json::parse(reply.body, nullptr, false);
    if (!j.is_object() || !j.contains("connections")) continue;
    for (const auto& c : j["connections"])
      if (c.value("name", "") == name) return i;
  }
  return -1;
}

// Generous: on a loaded machine a cluster's leader election after a node dies
// can take tens of seconds, and the edge waits for it (nothing is lost meanwhile).
void expect_edge_gets_everything(Edge& edge, const CandleMap& expected, std::size_t before,
                                 const std::string& ingest_log) {
  EXPECT_LT(before, expected.size()) << "the failure was not mid-stream";
  ASSERT_TRUE(wait_until([&] { return read_lines(edge.out).size() >= expected.size(); }, 90s))
      << read_lines(edge.out).size() << " of " << expected.size()
      << "\nedge /health: " << http_get(edge.admin, "/health").body << "\nedge log:\n"
      << read_text(edge.log) << "\ningest log:\n"
      << read_text(ingest_log);
  expect_candles_endpoint(expected, edge);
  ASSERT_EQ(edge.stop(), 0) << read_text(edge.log);
  expect_same_candles(expected, edge, read_lines(edge.out));
}

TEST(NatsFailover, TheClusterNodeTheIngestUsesKilledMidStreamLosesNothingAtTheEdge) {
  NatsCluster cluster;
  create_stream(cluster.node(0).url(), 3);
  TempDir dir("tickd-nats-failover");
  Edge edge(dir, cluster.urls());
  edge.start();
  Ingest ingest(dir, "ingest", cluster.urls(), 36000,
                ", reconnect_wait: 100ms, drain_timeout: 40s, stream: {replicas: 3}");
  ASSERT_TRUE(wait_until([&] { return read_lines(edge.out).size() > 300; }, 15s))
      << read_text(edge.log) << read_text(ingest.log);

  const int victim = node_serving(cluster, "tickd-bus");
  ASSERT_GE(victim, 0) << "no node serves the ingest's connection";
  cluster.node(victim).kill_hard();
  const std::size_t before = read_lines(edge.out).size();

  ASSERT_EQ(ingest.process->wait(), 0) << read_text(ingest.log);
  EXPECT_NE(read_text(ingest.log).find("nats: reconnected"), std::string::npos) << read_text(ingest.log);
  const CandleMap expected = ingest.candles();
  expect_edge_gets_everything(edge, expected, before, ingest.log);
  EXPECT_EQ(stream_messages(cluster.node((victim + 1) % 3).url()), expected.size()) << "each candle once";
}

TEST(NatsFailover, OneOfTwoActiveActiveIngestsKilledMidStreamLosesNothingAtTheEdge) {
  NatsServer server;
  create_stream(server.url());
  TempDir dir("tickd-nats-failover");
  Edge edge(dir, server.url());
  edge.start();
  Ingest first(dir, "ingest-a", server.url(), 36000);
  Ingest second(dir, "ingest-b", server.url(), 36000);
  ASSERT_TRUE(wait_until([&] { return read_lines(edge.out).size() > 300; }, 15s)) << read_text(edge.log);

  first.process->signal(SIGKILL);
  first.process->wait();
  const std::size_t before = read_lines(edge.out).size();
  ASSERT_EQ(second.process->wait(), 0) << read_text(second.log);

  // Both built the same candles from the same trades: what the killed one
  // published is a part of what the survivor did.
  const CandleMap expected = second.candles();
  const CandleMap from_first = first.candles();
  ASSERT_GT(from_first.size(), 0u);
  for (const auto& [key, candle] : from_first) {
    auto it = expected.find(key);
    ASSERT_NE(it, expected.end()) << key.first << " " << key.second;
    EXPECT_EQ(it->second, candle) << key.first << " " << key.second;
  }
  expect_edge_gets_everything(edge, expected, before, second.log);
  EXPECT_EQ(stream_messages(server.url()), expected.size()) << "the stream holds each candle once";
}

}  // namespace
}  // namespace tickd::e2e
