// The pure parts of the Indian brokers' history: IST text, the candle answers
// of Kite and SmartAPI (as their documentation shows them), which intervals
// are fetched or rolled up, and the roll-up itself.
#include "aggregate/bucket_clock.hpp"
#include "feed/indian_broker/history_plan.hpp"
#include "feed/indian_broker/ist_time.hpp"
#include "feed/kite/kite_history.hpp"
#include "feed/smartapi/smartapi_history.hpp"

#include <gtest/gtest.h>

namespace tickd::core {
namespace {

constexpr TimeMs kJul5Open = 1625456700000;  // 2021-07-05T09:15:00+05:30

TEST(IstTime, FormatsAndParsesTheBrokersTimes) {
  EXPECT_EQ(format_ist(kJul5Open, true), "2021-07-05 09:15:00");
  EXPECT_EQ(format_ist(kJul5Open + 59999, false), "2021-07-05 09:15");
  EXPECT_EQ(parse_iso_time("2021-07-05T09:15:00+0530"), kJul5Open);
  EXPECT_EQ(parse_iso_time("2021-07-05T09:15:00+05:30"), kJul5Open);
  EXPECT_EQ(parse_iso_time("2021-07-05T03:45:00Z"), kJul5Open);
  EXPECT_EQ(parse_iso_time("2021-07-04T22:45:00-05:00"), kJul5Open);
  EXPECT_FALSE(parse_iso_time("2021-07-05T09:15:00"));
  EXPECT_FALSE(parse_iso_time("2021-13-05T09:15:00+0530"));
  EXPECT_FALSE(parse_iso_time("2021-07-05T09:15:00+05:3x"));
  EXPECT_FALSE(parse_iso_time(""));
}

HttpResponse answer(long status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

TEST(KiteHistory, RequestAndAnswerAsDocumented) {
  KiteHistoryApi api("https://api.kite.trade", "key", "tok");
  const HttpRequest r = api.request({7, "NSE:INFY", "", "408065"}, 60, kJul5Open, kJul5Open + 3600000);
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.url,
            "https://api.kite.trade/instruments/historical/408065/minute"
            "?from=2021-07-05%2009:15:00&to=2021-07-05%2010:14:59");
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"X-Kite-Version", "3"}));
  EXPECT_EQ(r.headers[1], (std::pair<std::string, std::string>{"Authorization", "token key:tok"}));
  EXPECT_EQ(api.max_range_ms(60), 60 * 86400000LL);
  EXPECT_EQ(api.max_range_ms(86400), 2000 * 86400000LL);

  std::vector<CandleData> out;
  std::string error;
  ASSERT_EQ(api.parse(answer(200, R"({"status":"success","data":{"candles":[)"
                                  R"(["2021-07-05T09:15:00+0530",1573.4,1578.95,1571.1,1577.5,254375],)"
                                  R"(["2021-07-05T09:16:00+0530",1577.5,1579,1576.05,1578.25,95187,0]]}})"),
                      7, 60, out, error),
            HistoryError::none)
      << error;
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].symbol, 7u);
  EXPECT_EQ(out[0].interval_s, 60);
  EXPECT_EQ(out[0].open_time, kJul5Open);
  EXPECT_EQ(out[0].open, 1573.4);
  EXPECT_EQ(out[0].high, 1578.95);
  EXPECT_EQ(out[0].low, 1571.1);
  EXPECT_EQ(out[0].close, 1577.5);
  EXPECT_EQ(out[0].volume, 254375);
  EXPECT_EQ(out[1].open_time, kJul5Open + 60000);

  out.clear();
  EXPECT_EQ(api.parse(answer(403, R"({"status":"error","message":"Incorrect `api_key` or `access_token`.",)"
                                  R"("error_type":"TokenException"})"),
                      7, 60, out, error),
            HistoryError::auth);
  EXPECT_NE(error.find("TokenException"), std::string::npos) << error;
  EXPECT_EQ(api.parse(answer(429, "Too many requests"), 7, 60, out, error), HistoryError::rate_limited);
  EXPECT_EQ(api.parse(answer(200, R"({"status":"success","data":{"candles":[["x",1,1,1,1,1]]}})"), 7, 60, out,
                      error),
            HistoryError::other);
  EXPECT_EQ(api.parse(answer(200, R"({"status":"success","data":{"candles":[["2021-07-05T09:15:00+0530",)"
                                  R"(1,0.5,1,1,1]]}})"),
                      7, 60, out, error),
            HistoryError::other);
  EXPECT_EQ(error, "candle 0: prices outside [low, high]");
  EXPECT_EQ(api.parse(answer(200, "not json"), 7, 60, out, error), HistoryError::other);
  EXPECT_TRUE(out.empty());
}

TEST(SmartApiHistory, RequestAndAnswerAsDocumented) {
  SmartApiHistoryApi api("https://apiconnect.angelone.in", "key", "jwt");
  const HttpRequest r = api.request({7, "RELIANCE", "NSE", "2885"}, 300, kJul5Open, kJul5Open + 3600000);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://apiconnect.angelone.in/rest/secure/angelbroking/historical/v1/getCandleData");
  EXPECT_EQ(r.body, R"({"exchange":"NSE","fromdate":"2021-07-05 09:15","interval":"FIVE_MINUTE",)"
                    R"("symboltoken":"2885","todate":"2021-07-05 10:14"})");
  bool bearer = false, key = false;
  for (const auto& [name, value] : r.headers) {
    bearer |= name == "Authorization" && value == "Bearer jwt";
    key |= name == "X-PrivateKey" && value == "key";
  }
  EXPECT_TRUE(bearer && key);
  EXPECT_EQ(api.max_range_ms(60), 30 * 86400000LL);

  std::vector<CandleData> out;
  std::string error;
  ASSERT_EQ(api.parse(answer(200, R"({"status":true,"message":"SUCCESS","errorcode":"","data":[)"
                                  R"(["2021-07-05T09:15:00+05:30",2100.5,2110,2099,2105.25,5400]]})"),
                      7, 300, out, error),
            HistoryError::none)
      << error;
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].open_time, kJul5Open);
  EXPECT_EQ(out[0].close, 2105.25);
  EXPECT_EQ(api.parse(answer(200, R"({"status":true,"message":"SUCCESS","errorcode":"","data":null})"), 7,
                      300, out, error),
            HistoryError::none);
  EXPECT_EQ(
      api.parse(answer(200, R"({"status":false,"message":"Invalid Token","errorcode":"AG8001","data":null})"),
                7, 300, out, error),
      HistoryError::auth);
  EXPECT_EQ(
      api.parse(answer(200, R"({"status":false,"message":"Something Went Wrong","errorcode":"AB1004"})"), 7,
                300, out, error),
      HistoryError::other);
  EXPECT_EQ(smartapi_exchange_name(2), std::string("NFO"));
}

TEST(HistoryPlan, ServedFetchedOthersRolledUpSecondsSkipped) {
  const std::vector<std::int32_t> served{60, 180, 300, 600, 900, 1800, 3600, 86400};
  std::vector<Interval> ivs;
  for (const char* n : {"1s", "1m", "5m", "2h", "1d", "1w"}) ivs.push_back(*Interval::parse(n));
  const HistoryPlan plan = plan_history(ivs, served);
  ASSERT_EQ(plan.series.size(), 5u);
  EXPECT_EQ(plan.series[0].fetch_s, 60);
  EXPECT_EQ(plan.series[1].fetch_s, 300);
  EXPECT_EQ(plan.series[2].fetch_s, 3600);   // 2h from 60minute
  EXPECT_EQ(plan.series[3].fetch_s, 86400);  // day as served
  EXPECT_EQ(plan.series[4].fetch_s, 86400);  // 1w from days
  EXPECT_EQ(plan.backfill_s, 60);
  ASSERT_EQ(plan.skipped.size(), 1u);
  EXPECT_EQ(plan.skipped[0].seconds(), 1);
}

CandleData candle(TimeMs t, double o, double h, double l, double c, double v) {
  CandleData x;
  x.symbol = 1;
  x.interval_s = 3600;
  x.open_time = t;
  x.open = o, x.high = h, x.low = l, x.close = c, x.volume = v;
  x.flags = TICKD_CANDLE_CLOSED;
  return x;
}

TEST(HistoryPlan, RollUpKeepsWholeSessionBucketsOnly) {
  // NSE: 2h bars anchored at 09:15 IST, the last one cut at the 15:30 close.
  SessionConfig nse;
  nse.timezone = "Asia/Kolkata";
  nse.open_minute = 9 * 60 + 15;
  nse.close_minute = 15 * 60 + 30;
  const BucketClock clock(*Interval::parse("2h"), nse);
  const TimeMs h = 3600000;
  std::vector<CandleData> hours;
  // 60minute candles of Kite's day: 09:15, 10:15, ..., 15:15 (seven).
  for (int i = 0; i < 7; ++i) hours.push_back(candle(kJul5Open + i * h, 10 + i, 20 + i, 5 + i, 11 + i, 100));
  const auto bars = roll_up(hours, clock, kJul5Open, kJul5Open + 7 * h);
  ASSERT_EQ(bars.size(), 4u);
  EXPECT_EQ(bars[0].open_time, kJul5Open);
  EXPECT_EQ(bars[0].interval_s, 7200);
  EXPECT_EQ(bars[0].open, 10);
  EXPECT_EQ(bars[0].high, 21);
  EXPECT_EQ(bars[0].low, 5);
  EXPECT_EQ(bars[0].close, 12);
  EXPECT_EQ(bars[0].volume, 200);
  EXPECT_EQ(bars[3].open_time, kJul5Open + 6 * h);  // 15:15 to the 15:30 close
  EXPECT_EQ(bars[3].volume, 100);
  // Up to 13:15 only: the 13:15-15:15 bar is not whole and is left out.
  EXPECT_EQ(roll_up(hours, clock, kJul5Open, kJul5Open + 5 * h).size(), 2u);
  // From 10:15: the 09:15 bar began before and is left out.
  EXPECT_EQ(roll_up(hours, clock, kJul5Open + h, kJul5Open + 7 * h).front().open_time, kJul5Open + 2 * h);
}

}  // namespace
}  // namespace tickd::core
