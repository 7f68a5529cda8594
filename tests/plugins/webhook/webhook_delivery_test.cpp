// The webhook observer end to end against a real HTTP receiver on loopback:
// delivery and signature, an outage (nothing lost within the queue), a full
// queue (counted as loss), a slow receiver (timeouts; the worker never
// waits), 429 with Retry-After and a 4xx that is not retried.
#include "hmac_signature.hpp"
#include "http_receiver.hpp"
#include "support/plugin_metrics.hpp"
#include "webhook_observer.hpp"

#include <tickd/testing/fake_host.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace tickd::webhook {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using test::HttpReceiver;
using test::HttpReply;
using test::HttpRequestSeen;
using test_support::metrics_of;
using tickd::testing::FakeHost;

Signal signal(int n, Side side = Side::buy) {
  Signal s;
  s.symbol = "BTCUSDT";
  s.interval = *Interval::parse("1m");
  s.time = 1700000000000 + n;
  s.side = side;
  s.price = 42000 + n;
  s.source = "ema_cross/ema_9_21";
  s.text = "signal " + std::to_string(n);
  return s;
}

json config_for(const HttpReceiver& receiver, json extra = json::object()) {
  json c = {{"targets", {{{"url", receiver.url("/hook/secret-path")}}}},
            {"retry", {{"initial", "50ms"}, {"max", "200ms"}, {"attempts", 1000}}},
            {"timeout", "2s"},
            {"connect_timeout", "1s"}};
  c.update(extra);
  return c;
}

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 15s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

std::vector<std::string> texts(const std::vector<HttpRequestSeen>& requests) {
  std::vector<std::string> out;
  for (const auto& r : requests) out.push_back(json::parse(r.body).value("text", ""));
  return out;
}

TEST(WebhookDeliveryTest, PostsTheDefaultBodyWithAVerifiableSignature) {
  HttpReceiver receiver([](const HttpRequestSeen&) { return HttpReply{}; });
  auto config = config_for(receiver);
  config["targets"][0]["secret"] = "s3cret";
  config["targets"][0]["headers"] = {{"X-Api-Key", "k1"}};
  FakeHost fake("hooks", config);
  WebhookObserver obs;
  obs.start(fake.host());
  obs.on_signal(signal(1));
  auto seen = receiver.wait_for(1);
  obs.stop();
  ASSERT_EQ(seen.size(), 1u);
  const auto& r = seen[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/hook/secret-path");
  EXPECT_EQ(r.headers.at("content-type"), "application/json");
  EXPECT_EQ(r.headers.at("x-api-key"), "k1");
  const std::string ts = r.headers.at("x-tickd-timestamp");
  EXPECT_EQ(r.headers.at("x-tickd-signature"), "sha256=" + hmac_sha256_hex("s3cret", ts + "." + r.body));
  auto body = json::parse(r.body);
  EXPECT_EQ(body["rule"], "signals");
  EXPECT_EQ(body["side"], "buy");
  EXPECT_EQ(body["price"], 42001);
  EXPECT_EQ(body["source"], "ema_cross/ema_9_21");
  auto m = metrics_of(obs);
  EXPECT_EQ(m["webhooks_sent"], 1);
  EXPECT_EQ(m["webhooks_failed"], 0);
  for (const auto& [level, text] : fake.logs())
    EXPECT_EQ(text.find("secret-path"), std::string::npos) << text;
}

TEST(WebhookDeliveryTest, OutageLosesNothingWithinTheQueueAndKeepsOrder) {
  HttpReceiver receiver([](const HttpRequestSeen&) { return HttpReply{}; });
  receiver.stop();  // down before the first alert
  FakeHost fake("hooks", config_for(receiver));
  WebhookObserver obs;
  obs.start(fake.host());
  for (int i = 0; i < 20; ++i) obs.on_signal(signal(i));
  ASSERT_TRUE(eventually([&] { return obs.target_counters(0).errors >= 3; }));
  receiver.start();
  auto seen = receiver.wait_for(20);
  obs.stop();
  ASSERT_EQ(seen.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(texts(seen)[i], "signal " + std::to_string(i));
  auto m = metrics_of(obs);
  EXPECT_EQ(m["webhooks_sent"], 20);
  EXPECT_GE(m["webhooks_retried"], 3);
  EXPECT_EQ(m["webhooks_dropped"], 0);
  EXPECT_EQ(m["webhooks_failed"], 0);
}

TEST(WebhookDeliveryTest, FullQueueDropsNewMessagesAsCountedLoss) {
  HttpReceiver receiver([](const HttpRequestSeen&) { return HttpReply{}; });
  receiver.stop();
  FakeHost fake("hooks", config_for(receiver, {{"queue_size", 3}, {"stop_timeout", "100ms"}}));
  WebhookObserver obs;
  obs.start(fake.host());
  for (int i = 0; i < 10; ++i) obs.on_signal(signal(i));
  auto m = metrics_of(obs);
  // One is being retried, three wait, six did not fit.
  EXPECT_GE(m["webhooks_dropped"], 6);
  obs.stop();  // the receiver is still down: what is left is lost, and counted
  m = metrics_of(obs);
  EXPECT_EQ(m["webhooks_dropped"], 10);
  EXPECT_EQ(m["webhook_queue_depth"], 0);
}

TEST(WebhookDeliveryTest, SlowReceiverTimesOutWithoutEverBlockingTheWorker) {
  std::atomic<int> calls{0};
  HttpReceiver receiver([&](const HttpRequestSeen&) {
    if (calls++ < 2) std::this_thread::sleep_for(1500ms);  // longer than the 300ms timeout
    return HttpReply{};
  });
  FakeHost fake("hooks", config_for(receiver, {{"timeout", "300ms"}}));
  WebhookObserver obs;
  obs.start(fake.host());
  for (int i = 0; i < 5; ++i) {
    const auto before = std::chrono::steady_clock::now();
    obs.on_signal(signal(i));
    EXPECT_LT(std::chrono::steady_clock::now() - before, 50ms) << "the worker waited on the network";
  }
  ASSERT_TRUE(eventually([&] { return obs.target_counters(0).sent == 5; }));
  obs.stop();
  EXPECT_GE(obs.target_counters(0).errors, 2u);
  bool timeout_logged = false;
  for (const auto& [level, text] : fake.logs()) timeout_logged |= text.find("Timeout") != std::string::npos;
  EXPECT_TRUE(timeout_logged);
}

TEST(WebhookDeliveryTest, HonoursRetryAfterOn429AndGivesUpAtOnceOn4xx) {
  std::atomic<int> calls{0};
  HttpReceiver receiver([&](const HttpRequestSeen& r) {
    if (json::parse(r.body)["text"] == "signal 2") return HttpReply{400, "bad", "text/plain", {}};
    if (calls++ == 0) return HttpReply{429, "slow down", "text/plain", {"Retry-After: 1"}};
    return HttpReply{};
  });
  FakeHost fake("hooks", config_for(receiver));
  WebhookObserver obs;
  obs.start(fake.host());
  const auto before = std::chrono::steady_clock::now();
  obs.on_signal(signal(1));
  ASSERT_TRUE(eventually([&] { return obs.target_counters(0).sent == 1; }));
  EXPECT_GE(std::chrono::steady_clock::now() - before, 1s);
  obs.on_signal(signal(2));
  ASSERT_TRUE(eventually([&] { return obs.target_counters(0).failed == 1; }));
  obs.stop();
  auto m = metrics_of(obs);
  EXPECT_EQ(m["webhooks_throttled"], 1);
  EXPECT_EQ(m["webhooks_failed"], 1);
  EXPECT_EQ(receiver.requests().size(), 3u);  // 429, its retry, and the 400 once
}

TEST(WebhookDeliveryTest, PriceRulesReachSeveralTargetsWithTheirPresets) {
  HttpReceiver slack([](const HttpRequestSeen&) { return HttpReply{}; });
  HttpReceiver discord([](const HttpRequestSeen&) { return HttpReply{}; });
  json config = {{"targets",
                  {{{"url", slack.url("/services/T/B/X")}, {"preset", "slack"}},
                   {{"url", discord.url("/api/webhooks/1/tok")}, {"preset", "discord"}}}},
                 {"message", "{symbol} {side} at {price}"},
                 {"rules", {{{"name", "at100"}, {"type", "price_cross"}, {"above", 100}}}}};
  FakeHost fake("hooks", config);
  WebhookObserver obs;
  obs.start(fake.host());
  obs.on_tick(Tick{"A<B>", 1, 99, 1, -1, 1, Side::buy});
  obs.on_tick(Tick{"A<B>", 2, 101, 1, -1, 1, Side::buy});
  auto s = slack.wait_for(1);
  auto d = discord.wait_for(1);
  obs.stop();
  ASSERT_EQ(s.size(), 1u);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(json::parse(s[0].body)["text"], "A&lt;B&gt; up at 101");
  EXPECT_EQ(json::parse(d[0].body)["content"], "A<B> up at 101");
}

}  // namespace
}  // namespace tickd::webhook
