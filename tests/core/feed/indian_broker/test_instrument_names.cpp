// feed.symbols names resolved to broker tokens through the instrument master
// served by a local server: errors at the name's file:line:column with the
// closest names, expired contracts reported, tokens as before.
#include "config/config_loader.hpp"
#include "feed/indian_broker/instrument_names.hpp"
#include "http_receiver.hpp"
#include "instrument_masters.hpp"
#include "support/temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

namespace tickd::core {
namespace {

using test::HttpReceiver;
using test::HttpReply;
using test::HttpRequestSeen;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Pair;

TimeMs now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const std::vector<test_servers::SpecInstrument>& spec() {
  static const auto instruments = test_servers::spec_instruments(test_servers::ist_today());
  return instruments;
}

struct Masters {
  HttpReceiver server{[](const HttpRequestSeen& r) {
    HttpReply reply;
    if (r.target == "/instruments") {
      reply.body = test_servers::gzip(test_servers::kite_instruments_csv(spec()));
      reply.headers = {"Content-Encoding: gzip"};
    } else {
      reply.body = test_servers::smartapi_scrip_master_json(spec());
    }
    return reply;
  }};
  test_support::TempDir cache{"tickd-names"};
};

std::string kite_yaml(const Masters& m, const std::string& symbols, const std::string& extra = "") {
  return "feed:\n"
         "  kind: kite\n"
         "  symbols: " +
         symbols +
         "\n"
         "  kite:\n"
         "    api_key: k\n"
         "    access_token: t\n"
         "    rest_url: http://127.0.0.1:" +
         std::to_string(m.server.port()) +
         "\n"
         "    instrument_master: {cache_dir: " +
         m.cache.path().string() + "}\n" + extra +
         "aggregator:\n"
         "  intervals: [1m]\n";
}

struct Resolved {
  Config config;
  std::vector<std::string> errors;
};

Resolved resolve(const std::string& yaml) {
  Resolved r{load_config_text(yaml, "k.yaml", ""), {}};
  r.errors = resolve_instrument_names(r.config.feed, now_ms());
  return r;
}

TEST(InstrumentNames, KiteNamesBecomeTokensBesideTheGivenOnes) {
  Masters m;
  const std::string future = "NFO:" + test_servers::live_future(spec()).kite_symbol;
  const Resolved r =
      resolve(kite_yaml(m, "[NSE:TATAMOTORS, NSE:INFY, NSE:RELIANCE, \"NSE:NIFTY 50\", " + future + "]",
                        "    instruments: {884737: NSE:TATAMOTORS}\n"));
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  const auto& in = r.config.feed.kite.instruments;
  ASSERT_EQ(in.size(), 5u);
  EXPECT_THAT(in, Contains(Pair(884737u, "NSE:TATAMOTORS")));
  EXPECT_THAT(in, Contains(Pair(408065u, "NSE:INFY")));
  EXPECT_THAT(in, Contains(Pair(738561u, "NSE:RELIANCE")));
  EXPECT_THAT(in, Contains(Pair(256265u, "NSE:NIFTY 50")));
  EXPECT_THAT(in, Contains(Pair(std::stoul(test_servers::live_future(spec()).kite_token), future)));
  EXPECT_EQ(r.config.feed.resolved_from.source, "downloaded");
  EXPECT_EQ(m.server.requests().size(), 1u);
  // Tokens only: no master needed, nothing downloaded.
  const Resolved tokens =
      resolve(kite_yaml(m, "[NSE:TATAMOTORS]", "    instruments: {884737: NSE:TATAMOTORS}\n"));
  EXPECT_TRUE(tokens.errors.empty());
  EXPECT_EQ(tokens.config.feed.resolved_from.source, "");
  EXPECT_EQ(m.server.requests().size(), 1u);
}

TEST(InstrumentNames, ATypoIsAConfigErrorAtItsPositionWithTheClosestNames) {
  Masters m;
  const Resolved r = resolve(kite_yaml(m, "[NSE:INFY,\n            NSE:RELAINCE]"));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_THAT(r.errors[0], HasSubstr("k.yaml:4:13: 'feed.symbols[1]': 'NSE:RELAINCE' is not in the kite "
                                     "instrument master"));
  EXPECT_THAT(r.errors[0], HasSubstr("closest: 'NSE:RELIANCE'"));
  const Resolved bare = resolve(kite_yaml(m, "[INFY]"));
  ASSERT_EQ(bare.errors.size(), 1u);
  EXPECT_THAT(bare.errors[0], HasSubstr("'INFY' must be EXCHANGE:SYMBOL (e.g. NSE:INFY)"));
}

TEST(InstrumentNames, AnExpiredFutureIsReportedAsExpired) {
  Masters m;
  const auto& old = test_servers::expired_future(spec());
  const Resolved r = resolve(kite_yaml(m, "[NSE:INFY, NFO:" + old.kite_symbol + "]"));
  ASSERT_EQ(r.errors.size(), 1u);
  const std::string date = format_yyyymmdd(old.expiry);
  EXPECT_THAT(r.errors[0], HasSubstr("'NFO:" + old.kite_symbol + "' expired on " + date));
  EXPECT_THAT(r.errors[0], HasSubstr("NFO:" + test_servers::live_future(spec()).kite_symbol));
}

TEST(InstrumentNames, SmartApiNamesCarryTheirExchangeSegment) {
  Masters m;
  const auto& future = test_servers::live_future(spec());
  const std::string yaml =
      "feed:\n  kind: smartapi\n  symbols: [NSE:RELIANCE, NFO:" + future.smartapi_symbol +
      ", \"NSE:Nifty 50\"]\n  smartapi:\n    auth_token: a\n    api_key: b\n    client_code: c\n    "
      "feed_token: d\n"
      "    instrument_master: {url: " +
      m.server.url("/OpenAPI_File/files/OpenAPIScripMaster.json") +
      ", cache_dir: " + m.cache.path().string() + "}\naggregator:\n  intervals: [1m]\n";
  const Resolved r = resolve(yaml);
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  const auto& tokens = r.config.feed.smartapi.tokens;
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[0].exchange_type, 1);
  EXPECT_EQ(tokens[0].token, "2885");
  EXPECT_EQ(tokens[0].symbol, "NSE:RELIANCE");
  EXPECT_EQ(tokens[1].exchange_type, 2);
  EXPECT_EQ(tokens[1].token, future.smartapi_token);
  EXPECT_EQ(tokens[2].token, "99926000");
}

TEST(InstrumentNames, ALocalInstrumentsCsvNeedsNoDownload) {
  Masters m;
  const std::string csv = m.cache.file("dump.csv");
  std::ofstream(csv) << test_servers::kite_instruments_csv(spec());
  const Resolved r = resolve(kite_yaml(m, "[NSE:INFY]", "    instruments_csv: " + csv + "\n"));
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  EXPECT_EQ(r.config.feed.resolved_from.source, "file");
  EXPECT_TRUE(m.server.requests().empty());
}

TEST(InstrumentNames, NoMasterAndNoCacheNamesTheUrl) {
  Masters m;
  m.server.stop();
  const Resolved r = resolve(kite_yaml(m, "[NSE:INFY]"));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_THAT(r.errors[0],
              HasSubstr("k.yaml:3:13: 'feed.symbols[0]': 1 name(s) cannot be resolved to kite tokens"));
  EXPECT_THAT(r.errors[0], HasSubstr("/instruments"));
}

}  // namespace
}  // namespace tickd::core
