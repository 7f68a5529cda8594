// TLS: a webhook to an HTTPS receiver with a self-signed certificate is
// delivered when ca_file names that certificate, and refused (never sent
// unverified) without it.
#include "support/local_servers.hpp"
#include "support/plugin_metrics.hpp"
#include "webhook_observer.hpp"

#include <tickd/testing/fake_host.hpp>

#include <gtest/gtest.h>

namespace tickd::webhook {
namespace {

using namespace std::chrono_literals;
using test_support::ChildProcess;
using test_support::metrics_of;
using test_support::TempDir;
using tickd::testing::FakeHost;

struct HttpsReceiver {
  HttpsReceiver() : port(test_support::free_port()) {
    test_support::run_checked(
        {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
         dir.file("key.pem"), "-out", dir.file("cert.pem")},
        dir.file("openssl.log"));
    child = std::make_unique<ChildProcess>(
        std::vector<std::string>{"python3", TICKD_SOURCE_DIR "/tests/servers/https_receiver.py", "--port",
                                 std::to_string(port), "--cert", dir.file("cert.pem"), "--key",
                                 dir.file("key.pem"), "--out", dir.file("bodies.txt")},
        dir.file("receiver.log"));
    if (!test_support::wait_until([&] { return test_support::port_accepts(port); }, 10s))
      throw std::runtime_error("https_receiver.py did not start: " +
                               test_support::read_text(dir.file("receiver.log")));
  }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port) + "/hook"; }
  std::string bodies() const { return test_support::read_text(dir.file("bodies.txt")); }

  TempDir dir{"webhook-tls"};
  int port;
  std::unique_ptr<ChildProcess> child;
};

Signal signal_at(double price) {
  Signal s;
  s.symbol = "BTCUSDT";
  s.time = 1700000000000;
  s.side = Side::buy;
  s.price = price;
  s.source = "ema_cross/ema_9_21";
  s.text = "tls";
  return s;
}

TEST(WebhookTlsTest, VerifiesTheReceiverAgainstTheConfiguredCaFile) {
  HttpsReceiver receiver;
  FakeHost fake("hooks", {{"targets", {{{"url", receiver.url()}}}},
                          {"ca_file", receiver.dir.file("cert.pem")},
                          {"retry", {{"initial", "50ms"}, {"max", "100ms"}, {"attempts", 20}}}});
  WebhookObserver obs;
  obs.start(fake.host());
  obs.on_signal(signal_at(1));
  ASSERT_TRUE(test_support::wait_until([&] { return obs.target_counters(0).sent == 1; }, 15s));
  obs.stop();
  EXPECT_NE(receiver.bodies().find("\"price\":1"), std::string::npos) << receiver.bodies();
}

TEST(WebhookTlsTest, RefusesAReceiverItCannotVerify) {
  HttpsReceiver receiver;
  FakeHost fake("hooks", {{"targets", {{{"url", receiver.url()}}}},
                          {"retry", {{"initial", "50ms"}, {"max", "100ms"}, {"attempts", 2}}}});
  WebhookObserver obs;  // the system CA store does not know the self-signed certificate
  obs.start(fake.host());
  obs.on_signal(signal_at(2));
  ASSERT_TRUE(test_support::wait_until([&] { return obs.target_counters(0).failed == 1; }, 15s));
  obs.stop();
  EXPECT_EQ(receiver.bodies(), "");
  EXPECT_EQ(metrics_of(obs)["webhooks_failed"], 1);
  bool logged = false;
  for (const auto& [level, text] : fake.logs()) logged |= text.find("certificate") != std::string::npos;
  EXPECT_TRUE(logged);
}

}  // namespace
}  // namespace tickd::webhook
