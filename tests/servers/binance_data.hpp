// Real Binance data from ../shared/data turned into what a Binance server
// sends: aggTrade frames from the XRPETH dump, the recorded frames of the 2021
// captures, and /api/v3/klines answers from the klines CSV.
#pragma once

#include "local_ws_server.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tickd::test_servers {

struct RecordedFrame {
  double received_s;  // receive time, unix seconds
  std::string text;
};

// XRPETH-aggTrades CSV rows -> combined-stream aggTrade frames, in order.
std::vector<std::string> xrpeth_aggtrade_frames(const std::string& csv_path,
                                                const std::string& symbol = "XRPETH");
// Transact time (ms) of each row of the same CSV, in order.
std::vector<std::int64_t> xrpeth_aggtrade_times(const std::string& csv_path);

// The `<time>: {...}` frame lines of a cryptofeed capture; other lines skipped.
std::vector<RecordedFrame> recorded_frames(const std::string& log_path);

struct CsvKline {
  std::int64_t open_time;
  std::string open, high, low, close, volume;
};
std::vector<CsvKline> read_kline_csv(const std::string& path);

// Answers GET /api/v3/klines?symbol=..&interval=1m&startTime=..&endTime=..&limit=..
// from `klines` (1m) like Binance: ascending, startTime/endTime inclusive of
// open times, at most `limit` (default 500, max 1000); without startTime the
// latest ones. Anything else is 404.
HttpAnswer klines_answer(const std::vector<CsvKline>& klines, const std::string& resource);

}  // namespace tickd::test_servers
