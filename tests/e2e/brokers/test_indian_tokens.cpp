// Tokens that renew: the Kite access token comes from a file. A refused token
// (HTTP 403 on the WebSocket upgrade and on the historical API) is reported
// once and shows as feed state auth_failed, without a tight reconnect loop;
// writing the new token into the file recovers the feed without a restart.
// The same for SmartAPI (401 on the upgrade, AG8001 over REST).
#include "broker_fixture.hpp"
#include "core/feed/kite/kite_test_data.hpp"

#include <atomic>
#include <cstdio>
#include <fstream>
#include <mutex>

namespace tickd::e2e {
namespace {

using test_servers::HttpAnswer;
using test_servers::HttpCall;
using test_servers::LocalWsServer;
using test_servers::Peer;

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

bool state_is(int admin, const std::string& state, const std::string& kind = "kite") {
  return metrics(admin).find("tickd_feed_state{kind=\"" + kind + "\",state=\"" + state + "\"} 1") !=
         std::string::npos;
}

TEST(IndianBrokerTokens, KiteRefusedTokenIsReportedOnceAndANewTokenFileRecovers) {
  using namespace tickd::core::testing;
  const auto full = kite_recorded_packet("ticker_full.packet");
  LocalWsServer server([&](Peer& p) {
    std::string msg;
    if (!p.wait_message(msg, std::chrono::seconds(5))) return;
    const Bytes frame = kite_frame({full});
    p.send_binary(std::string(frame.begin(), frame.end()));
    p.pause(std::chrono::minutes(1));
  });
  std::atomic<int> refused_upgrades{0};
  std::mutex mu;
  std::string last_resource;
  server.on_upgrade([&](const HttpCall& call) {
    {
      std::lock_guard<std::mutex> lock(mu);
      last_resource = call.resource;
    }
    if (call.resource.find("access_token=fresh-token") != std::string::npos) return 0;
    ++refused_upgrades;
    return 403;
  });
  std::atomic<int> rest_with_fresh{0};
  server.on_http_call([&](const HttpCall& call) {
    const auto auth = call.headers.find("Authorization");
    if (auth == call.headers.end() || auth->second != "token kitekey:fresh-token")
      return HttpAnswer{403, R"({"status":"error","message":"Incorrect `api_key` or `access_token`.",)"
                             R"("error_type":"TokenException"})"};
    ++rest_with_fresh;
    return HttpAnswer{200, R"({"status":"success","data":{"candles":[]}})"};
  });
  TempDir dir("tickd-e2e-kite-token");
  const std::string token_file = write_file(dir, "kite.token", "stale-token\n");
  const int admin = test_support::free_port();
  const std::string url = "127.0.0.1:" + std::to_string(server.port());
  const std::string feed =
      "feed:\n"
      "  kind: kite\n"
      "  kite:\n"
      "    url: ws://" +
      url +
      "\n"
      "    rest_url: http://" +
      url +
      "\n"
      "    api_key: kitekey\n"
      "    access_token_file: " +
      token_file +
      "\n"
      "    bootstrap_candles: 5\n"
      "    reconnect: {initial: 100ms, max: 300ms}\n"
      "    instruments: {408065: NSE:INFY}\n";
  const std::string path = write_file(dir, "k.yaml", daemon_config(feed, dir.file("c.jsonl"), admin));
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);

  ASSERT_TRUE(
      test_support::wait_until([&] { return state_is(admin, "auth_failed"); }, std::chrono::seconds(20)))
      << read_text(log) << metrics(admin);
  // Still refused a while later: retried at the slowest backoff, said once.
  ASSERT_TRUE(test_support::wait_until([&] { return refused_upgrades >= 4; }, std::chrono::seconds(10)));
  EXPECT_TRUE(state_is(admin, "auth_failed")) << metrics(admin);
  std::string text = read_text(log);
  EXPECT_EQ(count(text, "kite: the server refused the credentials"), 1) << text;
  EXPECT_EQ(count(text, "kite: the historical API refused the credentials"), 1) << text;
  EXPECT_LE(refused_upgrades.load(), 40) << "a tight reconnect loop";

  // The morning's new token: written by another process.
  std::ofstream(token_file + ".new") << "fresh-token\n";
  ASSERT_EQ(std::rename((token_file + ".new").c_str(), token_file.c_str()), 0);
  ASSERT_TRUE(test_support::wait_until(
      [&] { return state_is(admin, "live") && metric(metrics(admin), "tickd_feed_ticks_total") >= 1; },
      std::chrono::seconds(20)))
      << read_text(log) << "last upgrade: " << [&] {
           std::lock_guard<std::mutex> lock(mu);
           return last_resource;
         }();
  // History refused at start is loaded with the new token.
  ASSERT_TRUE(test_support::wait_until([&] { return rest_with_fresh >= 1; }, std::chrono::seconds(10)));
  EXPECT_TRUE(tickd.running());
  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 0);
  text = read_text(log);
  EXPECT_NE(text.find("kite: new credentials from the token file"), std::string::npos) << text;
  EXPECT_EQ(text.find("fresh-token"), std::string::npos) << "the access token was logged";
  EXPECT_EQ(text.find("stale-token"), std::string::npos) << "the access token was logged";
}

TEST(IndianBrokerTokens, SmartApiRefusedTokensAreReportedOnceAsAuthFailedAndNewFilesRecover) {
  LocalWsServer server([&](Peer& p) {
    std::string msg;
    while (p.alive() && p.wait_message(msg, std::chrono::seconds(1)))
      if (msg == "ping") p.send_text("pong");
    p.pause(std::chrono::minutes(1));
  });
  std::atomic<int> refused_upgrades{0};
  server.on_upgrade([&](const HttpCall& call) {
    const auto auth = call.headers.find("Authorization");
    const auto feed = call.headers.find("x-feed-token");
    if (auth != call.headers.end() && auth->second == "Bearer jwt-fresh" && feed != call.headers.end() &&
        feed->second == "feed-fresh")
      return 0;
    ++refused_upgrades;
    return 401;
  });
  std::atomic<int> rest_with_fresh{0};
  server.on_http_call([&](const HttpCall& call) {
    const auto auth = call.headers.find("Authorization");
    if (auth == call.headers.end() || auth->second != "Bearer jwt-fresh")
      return HttpAnswer{200,
                        R"({"status":false,"message":"Invalid Token","errorcode":"AG8001","data":null})"};
    ++rest_with_fresh;
    return HttpAnswer{200, R"({"status":true,"message":"SUCCESS","errorcode":"","data":[]})"};
  });
  TempDir dir("tickd-e2e-smartapi-token");
  const std::string jwt_file = write_file(dir, "smartapi.jwt", "jwt-stale\n");
  const std::string feed_file = write_file(dir, "smartapi.feed", "feed-stale\n");
  const int admin = test_support::free_port();
  const std::string url = "127.0.0.1:" + std::to_string(server.port());
  const std::string feed = "feed:\n  kind: smartapi\n  smartapi:\n    url: ws://" + url +
                           "/smart-stream\n    rest_url: http://" + url +
                           "\n    auth_token_file: " + jwt_file + "\n    feed_token_file: " + feed_file +
                           "\n    api_key: key1\n    client_code: C123\n    bootstrap_candles: 5\n"
                           "    reconnect: {initial: 100ms, max: 300ms}\n"
                           "    tokens: [{exchange_type: 1, token: \"2885\", symbol: RELIANCE}]\n";
  const std::string path = write_file(dir, "s.yaml", daemon_config(feed, dir.file("c.jsonl"), admin));
  const std::string log = dir.file("tickd.log");
  ChildProcess tickd({kTickd, "--config", path}, log);

  ASSERT_TRUE(test_support::wait_until([&] { return state_is(admin, "auth_failed", "smartapi"); },
                                       std::chrono::seconds(20)))
      << read_text(log) << metrics(admin);
  ASSERT_TRUE(test_support::wait_until([&] { return refused_upgrades >= 4; }, std::chrono::seconds(10)));
  EXPECT_TRUE(state_is(admin, "auth_failed", "smartapi")) << metrics(admin);
  std::string text = read_text(log);
  EXPECT_EQ(count(text, "smartapi: the server refused the credentials"), 1) << text;
  EXPECT_EQ(count(text, "smartapi: the historical API refused the credentials"), 1) << text;
  EXPECT_LE(refused_upgrades.load(), 40) << "a tight reconnect loop";

  // The morning's login: both files replaced.
  for (const auto& [file, value] : {std::pair<std::string, std::string>{jwt_file, "jwt-fresh"},
                                    std::pair<std::string, std::string>{feed_file, "feed-fresh"}}) {
    std::ofstream(file + ".new") << value << "\n";
    ASSERT_EQ(std::rename((file + ".new").c_str(), file.c_str()), 0);
  }
  ASSERT_TRUE(
      test_support::wait_until([&] { return state_is(admin, "live", "smartapi"); }, std::chrono::seconds(20)))
      << read_text(log) << metrics(admin);
  ASSERT_TRUE(test_support::wait_until([&] { return rest_with_fresh >= 1; }, std::chrono::seconds(10)));
  tickd.signal(SIGTERM);
  EXPECT_EQ(tickd.wait(), 0);
  text = read_text(log);
  EXPECT_NE(text.find("smartapi: new credentials from the token file"), std::string::npos) << text;
  for (const char* secret : {"jwt-fresh", "jwt-stale", "feed-fresh", "feed-stale"})
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " was logged";
}

}  // namespace
}  // namespace tickd::e2e
