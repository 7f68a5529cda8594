// The instrument master's download and cache against a local HTTP server:
// Kite's gzip, the cache used again while fresh and downloaded again after the
// daily refresh time, the stale cache when the server is down, the size
// limit (also after gunzip), and the daily refresh of a running daemon.
#include "feed/indian_broker/master_cache.hpp"
#include "feed/indian_broker/master_refresher.hpp"
#include "feed/kite/kite_instruments.hpp"
#include "feed/smartapi/smartapi_scrip_master.hpp"
#include "http_receiver.hpp"
#include "instrument_masters.hpp"
#include "support/temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace tickd::core {
namespace {

using test::HttpReceiver;
using test::HttpReply;
using test::HttpRequestSeen;
using ::testing::HasSubstr;

constexpr TimeMs kHour = 3'600'000;

TimeMs now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void set_mtime(const std::string& path, TimeMs ms) {
  timeval times[2];
  for (auto& t : times) {
    t.tv_sec = ms / 1000;
    t.tv_usec = (ms % 1000) * 1000;
  }
  ASSERT_EQ(::utimes(path.c_str(), times), 0);
}

std::string kite_csv() {
  return test_servers::kite_instruments_csv(test_servers::spec_instruments(test_servers::ist_today()));
}

// Kite: the CSV gzipped as a Content-Encoding, credentials in the headers.
HttpReply kite_reply(const HttpRequestSeen&) {
  HttpReply r;
  r.body = test_servers::gzip(kite_csv());
  r.content_type = "text/csv";
  r.headers = {"Content-Encoding: gzip"};
  return r;
}

MasterSource kite_source(const HttpReceiver& server, const test_support::TempDir& dir) {
  MasterSource s;
  s.broker = "kite";
  s.url = server.url("/instruments");
  s.headers = {{"X-Kite-Version", "3"}, {"Authorization", "token key:secret"}};
  s.cache_file = dir.file("kite-instruments.csv");
  s.max_bytes = 4u << 20;
  s.parse = parse_kite_instruments;
  return s;
}

TEST(MasterCache, DownloadsGzipCachesAndUsesTheCacheWhileFresh) {
  HttpReceiver server(kite_reply);
  test_support::TempDir dir("tickd-master");
  MasterSource source = kite_source(server, dir);
  const TimeMs now = now_ms();
  // The daily refresh time half a day away (IST is UTC+5:30), so that no
  // refresh point falls within the hour this test spans, whenever it runs.
  source.refresh_minute = static_cast<int>(((now + 19'800'000) / 60'000 + 720) % 1440);
  MasterLoad first = load_master(source, now);
  ASSERT_TRUE(first.master) << first.error;
  EXPECT_EQ(first.info.source, "downloaded");
  EXPECT_GT(first.master->size(), 200u);
  const auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].target, "/instruments");
  EXPECT_EQ(seen[0].headers.at("x-kite-version"), "3");
  EXPECT_EQ(seen[0].headers.at("authorization"), "token key:secret");

  MasterLoad again = load_master(source, now + kHour);
  ASSERT_TRUE(again.master) << again.error;
  EXPECT_EQ(again.info.source, "cache");
  EXPECT_EQ(again.master->size(), first.master->size());
  EXPECT_EQ(server.requests().size(), 1u) << "a fresh cache was downloaded again";
}

TEST(MasterCache, TheDailyRefreshTimeMakesTheCacheStale) {
  HttpReceiver server(kite_reply);
  test_support::TempDir dir("tickd-master");
  MasterSource source = kite_source(server, dir);
  source.refresh_minute = 8 * 60 + 30;
  const TimeMs now = now_ms();
  ASSERT_TRUE(load_master(source, now).master);
  const TimeMs point = last_refresh_point(now, source.refresh_minute);
  EXPECT_LE(point, now);
  EXPECT_GT(point, now - 24 * kHour);
  EXPECT_EQ(ist_date(point + 1), ist_date(point));  // 08:30 IST is not near midnight

  set_mtime(source.cache_file, point + 60'000);  // fetched after today's 08:30: fresh
  EXPECT_EQ(load_master(source, now).info.source, "cache");
  EXPECT_EQ(server.requests().size(), 1u);
  set_mtime(source.cache_file, point - 60'000);  // fetched before it: download again
  const MasterLoad load = load_master(source, now);
  EXPECT_EQ(load.info.source, "downloaded");
  EXPECT_EQ(server.requests().size(), 2u);
  struct stat st {};
  ASSERT_EQ(::stat(source.cache_file.c_str(), &st), 0);
  EXPECT_GE(st.st_mtime * 1000LL, point) << "the cache was not replaced";
}

TEST(MasterCache, TheStaleCacheServesWhenTheServerIsDown) {
  HttpReceiver server(kite_reply);
  test_support::TempDir dir("tickd-master");
  const MasterSource source = kite_source(server, dir);
  const TimeMs now = now_ms();
  ASSERT_TRUE(load_master(source, now).master);
  set_mtime(source.cache_file, now - 30 * kHour);
  server.stop();
  const MasterLoad load = load_master(source, now);
  ASSERT_TRUE(load.master) << load.error;
  EXPECT_EQ(load.info.source, "stale_cache");
  EXPECT_THAT(load.info.note, HasSubstr("download failed"));
  EXPECT_EQ(load.info.fetched_at_ms / 1000, (now - 30 * kHour) / 1000);

  // Without a cache there is nothing to fall back on: an error naming both.
  test_support::TempDir empty("tickd-master");
  const MasterLoad none = load_master(kite_source(server, empty), now);
  EXPECT_FALSE(none.master);
  EXPECT_THAT(none.error, HasSubstr("could not be downloaded"));
  EXPECT_THAT(none.error, HasSubstr("no cached copy"));
}

TEST(MasterCache, AnAnswerThatIsNoMasterKeepsTheCache) {
  std::atomic<bool> broken{false};
  HttpReceiver server([&](const HttpRequestSeen& r) {
    if (!broken) return kite_reply(r);
    HttpReply error;
    error.status = 200;
    error.body = "<html>maintenance</html>";
    return error;
  });
  test_support::TempDir dir("tickd-master");
  const MasterSource source = kite_source(server, dir);
  const TimeMs now = now_ms();
  ASSERT_TRUE(load_master(source, now).master);
  broken = true;
  const MasterLoad load = load_master(source, now, true);
  ASSERT_TRUE(load.master);
  EXPECT_EQ(load.info.source, "stale_cache");
  EXPECT_THAT(load.info.note, HasSubstr("not an instrument master"));
}

TEST(MasterCache, SizeLimitBeforeAndAfterGunzip) {
  // 5 MB of a valid-looking CSV: over a 4 MB limit as sent...
  std::string big = kite_csv();
  while (big.size() < (5u << 20)) big += "1234567,1,PADDING,PAD,0,,0,0.05,1,EQ,NSE,NSE\n";
  HttpReceiver plain([&](const HttpRequestSeen&) {
    HttpReply r;
    r.body = big;
    return r;
  });
  test_support::TempDir dir("tickd-master");
  MasterLoad load = load_master(kite_source(plain, dir), now_ms());
  EXPECT_FALSE(load.master);
  EXPECT_THAT(load.error, HasSubstr("larger than"));
  // ...and as a .gz body of a few kilobytes that inflates past the limit.
  HttpReceiver bomb([&](const HttpRequestSeen&) {
    HttpReply r;
    r.body = test_servers::gzip(big);
    r.content_type = "application/gzip";
    return r;
  });
  load = load_master(kite_source(bomb, dir), now_ms());
  EXPECT_FALSE(load.master);
  EXPECT_THAT(load.error, HasSubstr("once inflated"));
  // The same body within the limit inflates.
  MasterSource roomy = kite_source(bomb, dir);
  roomy.max_bytes = 8u << 20;
  load = load_master(roomy, now_ms());
  ASSERT_TRUE(load.master) << load.error;
  EXPECT_EQ(load.info.source, "downloaded");
}

TEST(MasterCache, SmartApiScripMaster) {
  HttpReceiver server([](const HttpRequestSeen&) {
    HttpReply r;
    r.body =
        test_servers::smartapi_scrip_master_json(test_servers::spec_instruments(test_servers::ist_today()));
    r.content_type = "application/json";
    return r;
  });
  test_support::TempDir dir("tickd-master");
  MasterSource s;
  s.broker = "smartapi";
  s.url = server.url("/OpenAPI_File/files/OpenAPIScripMaster.json");
  s.cache_file = dir.file("smartapi-scrip-master.json");
  s.parse = parse_smartapi_scrip_master;
  const MasterLoad load = load_master(s, now_ms());
  ASSERT_TRUE(load.master) << load.error;
  auto found = load.master->find("NSE:INFY", test_servers::ist_today(), "-EQ");
  ASSERT_TRUE(found.instrument);
  EXPECT_EQ(found.instrument->token, "1594");
}

TEST(MasterRefresher, DownloadsAgainAtTheDailyRefreshTime) {
  HttpReceiver server(kite_reply);
  test_support::TempDir dir("tickd-master");
  const MasterSource source = kite_source(server, dir);
  const TimeMs start = now_ms();
  MasterLoad first = load_master(source, start);
  ASSERT_TRUE(first.master);
  // A clock that stands 300 ms before the next refresh time when the
  // refresher starts, and runs on from there.
  const TimeMs next = last_refresh_point(start, source.refresh_minute) + 24 * kHour;
  const TimeMs shift = next - 300 - start;
  MasterRefresher refresher([&] { return source; }, {{"NSE:INFY", "408065"}}, first.info,
                            [shift] { return now_ms() + shift; });
  refresher.start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (refresher.refreshes() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(server.wait_for(2).size(), 2u);
  while (refresher.info().fetched_at_ms < next && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(refresher.info().source, "downloaded");
  EXPECT_GE(refresher.info().fetched_at_ms, next);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(refresher.refreshes(), 1u) << "refreshed more than once a day";
}

}  // namespace
}  // namespace tickd::core
