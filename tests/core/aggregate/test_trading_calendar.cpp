// The NSE week of Diwali 2026 with a trading calendar: Sunday 8 November is a
// holiday with a Muhurat session 18:00-19:00, Tuesday 10 November a holiday.
// Bars in Asia/Kolkata, computed by hand: no bar and no gap fill on the
// weekend or the holiday, the Muhurat session's own hourly, daily bar.
#include "config/config_loader.hpp"
#include "support/temp_dir.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

namespace tickd::core {
namespace {

using namespace testing;

TimeMs ist(int d, int h, int m) { return at(2026, 11, d, h, m, 0, "Asia/Kolkata"); }

void expect_bar(const CandleData& c, TimeMs open_time, double o, double h, double l, double cl, double v) {
  EXPECT_EQ(c.open_time, open_time);
  EXPECT_EQ(c.open, o);
  EXPECT_EQ(c.high, h);
  EXPECT_EQ(c.low, l);
  EXPECT_EQ(c.close, cl);
  EXPECT_EQ(c.volume, v);
}

AggregatorConfig nse_with_calendar(const std::string& dir) {
  const std::string calendar = dir + "/diwali.yaml";
  std::ofstream(calendar) << "holidays:\n"
                             "  - {date: 2026-11-08, name: Diwali Laxmi Pujan}\n"
                             "  - {date: 2026-11-10, name: Diwali-Balipratipada}\n"
                             "special_sessions:\n"
                             "  - {date: 2026-11-08, open: '18:00', close: '19:00', name: Muhurat trading}\n";
  const Config c = load_config_text(
      "feed: {kind: simulator, symbols: [NIFTY]}\n"
      "aggregator:\n"
      "  intervals: [1h, 1d, 1w]\n"
      "  gap_fill: true\n"
      "  session: {timezone: Asia/Kolkata, open: '09:15', close: '15:30', days: [mon, tue, wed, thu, fri],\n"
      "            calendar: diwali.yaml}\n",
      "c.yaml", dir);
  EXPECT_EQ(c.aggregator.session.holidays, (std::vector<int>{20261108, 20261110}));
  EXPECT_EQ(c.aggregator.session.special_sessions.size(), 1u);
  return c.aggregator;
}

TEST(TradingCalendar, HolidayAndMuhuratWeekInKolkata) {
  test_support::TempDir dir("tickd-calendar");
  SymbolTable symbols;
  RecordingSink sink;
  Aggregator agg(nse_with_calendar(dir.path().string()), symbols, sink);
  agg.on_tick(tick(ist(6, 14, 20), 100, 1));  // Friday
  agg.on_clock(ist(8, 12, 0));                // Sunday noon: Friday closed, nothing on Saturday
  agg.on_tick(tick(ist(8, 18, 5), 105, 2));   // Muhurat trading
  agg.on_tick(tick(ist(8, 18, 50), 106, 3));
  agg.on_clock(ist(8, 21, 0));
  agg.on_tick(tick(ist(9, 9, 20), 107, 4));  // Monday
  agg.on_tick(tick(ist(9, 15, 20), 108, 5));
  agg.on_clock(ist(10, 23, 0));               // all through the Tuesday holiday
  agg.on_tick(tick(ist(11, 9, 30), 110, 6));  // Wednesday

  const auto hourly = sink.closed(3600);
  ASSERT_EQ(hourly.size(), 10u);
  expect_bar(hourly[0], ist(6, 14, 15), 100, 100, 100, 100, 1);
  expect_bar(hourly[1], ist(6, 15, 15), 100, 100, 100, 100, 0);  // filled up to the 15:30 close
  expect_bar(hourly[2], ist(8, 18, 0), 105, 106, 105, 106, 5);   // the Muhurat hour, closed at 19:00
  expect_bar(hourly[3], ist(9, 9, 15), 107, 107, 107, 107, 4);
  for (int i = 0; i < 5; ++i) expect_bar(hourly[4 + i], ist(9, 10 + i, 15), 107, 107, 107, 107, 0);
  expect_bar(hourly[9], ist(9, 15, 15), 108, 108, 108, 108, 5);

  const auto daily = sink.closed(86400);
  ASSERT_EQ(daily.size(), 3u);  // Friday, the Muhurat session, Monday; no Saturday, no Tuesday
  expect_bar(daily[0], ist(6, 9, 15), 100, 100, 100, 100, 1);
  expect_bar(daily[1], ist(8, 18, 0), 105, 106, 105, 106, 5);
  expect_bar(daily[2], ist(9, 9, 15), 107, 108, 107, 108, 9);

  const auto weekly = sink.closed(604800);
  ASSERT_EQ(weekly.size(), 1u);  // Monday 2 November to Monday 9 November, the Muhurat session included
  expect_bar(weekly[0], ist(2, 9, 15), 100, 106, 100, 106, 6);

  std::vector<CandleData> open;
  ASSERT_TRUE(agg.history(0, iv("1d"), 1, open));
  EXPECT_EQ(open[0].open_time, ist(11, 9, 15));
}

TEST(TradingCalendar, ShippedNseCalendarLoadsAndBadFilesAreNamed) {
  const Config c = load_config_text(
      "feed: {kind: simulator, symbols: [NIFTY]}\n"
      "aggregator: {intervals: [1d], session: {timezone: Asia/Kolkata, calendar: nse.yaml}}\n",
      "c.yaml", TICKD_SOURCE_DIR "/config/calendars");
  const auto& h = c.aggregator.session.holidays;
  EXPECT_TRUE(std::binary_search(h.begin(), h.end(), 20261110));  // Diwali-Balipratipada
  EXPECT_TRUE(std::binary_search(h.begin(), h.end(), 20260126));  // Republic Day
  ASSERT_FALSE(c.aggregator.session.special_sessions.empty());
  EXPECT_EQ(c.aggregator.session.special_sessions[0].date, 20261108);

  test_support::TempDir dir("tickd-calendar-bad");
  std::ofstream(dir.path().string() + "/bad.yaml") << "holidays:\n  - {date: 2026-02-30}\n";
  try {
    load_config_text(
        "feed: {kind: simulator, symbols: [X]}\n"
        "aggregator: {intervals: [1d], session: {calendar: bad.yaml}}\n",
        "c.yaml", dir.path().string());
    FAIL() << "a bad date was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.yaml:2:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("must be a date YYYY-MM-DD, got '2026-02-30'"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace tickd::core
