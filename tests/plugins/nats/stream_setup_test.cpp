// The stream of closed candles and signals: created from the YAML's settings,
// accepted when it matches, a clear error naming each difference when not.
#include "nats/stream_setup.hpp"
#include "nats_test_client.hpp"
#include "support/nats_servers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace tickd::nats_out;
using ::testing::HasSubstr;
using tickd::test_support::NatsServer;
using tickd::test_support::NatsTestClient;

TEST(NatsStreamSetup, CreatesTheStreamThenAcceptsItWhenItMatches) {
  NatsServer server;
  NatsTestClient client(server.url());
  StreamSettings s;
  s.name = "CANDLES";
  s.max_age_s = 3600;
  s.max_bytes = 1 << 20;
  EXPECT_EQ(ensure_stream(client.js(), s, "md"), "created");
  EXPECT_EQ(ensure_stream(client.js(), s, "md"), "checked");

  jsStreamInfo* si = nullptr;
  ASSERT_EQ(js_GetStreamInfo(&si, client.js(), "CANDLES", nullptr, nullptr), NATS_OK);
  ASSERT_EQ(si->Config->SubjectsLen, 2);
  EXPECT_STREQ(si->Config->Subjects[0], "md.closed.>");
  EXPECT_STREQ(si->Config->Subjects[1], "md.signal.>");
  EXPECT_EQ(si->Config->MaxAge, 3600LL * 1000000000LL);
  EXPECT_EQ(si->Config->MaxBytes, 1 << 20);
  EXPECT_EQ(si->Config->Duplicates, 120LL * 1000000000LL);
  jsStreamInfo_Destroy(si);
}

TEST(NatsStreamSetup, AStreamThatConflictsWithTheYamlIsAnErrorNamingEachDifference) {
  NatsServer server;
  NatsTestClient client(server.url());
  StreamSettings s;
  s.max_age_s = 3600;
  ensure_stream(client.js(), s, "tickd");

  StreamSettings other = s;
  other.max_age_s = 7200;
  other.max_bytes = 5000000;
  try {
    ensure_stream(client.js(), other, "tickd");
    FAIL() << "a conflicting stream was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("stream 'TICKD' exists with another configuration"));
    EXPECT_THAT(e.what(), HasSubstr("max_age is 3600 s (YAML: 7200 s)"));
    EXPECT_THAT(e.what(), HasSubstr("max_bytes is -1 (YAML: 5000000)"));
  }
  // Another prefix needs subjects the stream does not capture.
  EXPECT_THROW(ensure_stream(client.js(), s, "other"), std::runtime_error);
}

TEST(NatsStreamSetup, AMissingStreamIsAnErrorWhenCreatingIsOff) {
  NatsServer server;
  NatsTestClient client(server.url());
  StreamSettings s;
  s.create = false;
  EXPECT_THROW(ensure_stream(client.js(), s, "tickd"), std::runtime_error);
}
