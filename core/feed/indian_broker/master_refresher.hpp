// The daily refresh of a running daemon's instrument master. On a thread of
// its own (a download and parse of tens of megabytes must not hold the feed
// thread), at each day's refresh time (IST) it downloads the master again
// into the cache (the stale copy stays when the download fails), and checks
// the names in use against it: a contract that expired (still listed past
// its expiry, or gone from the master after its known expiry date) is logged
// once and listed in expired(), which the feed polls to unsubscribe it; a name
// that left the master otherwise or changed token is logged, and its running
// subscription stays until a restart takes the new master.
//
// It runs once per day (at refresh_at, IST) whatever the calendar says: the
// brokers publish a master on every weekday, and a download on a holiday
// costs one request and changes nothing.
#pragma once

#include "feed/indian_broker/master_cache.hpp"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace tickd::core {

class MasterRefresher {
 public:
  struct Named {
    std::string name;   // as in feed.symbols
    std::string token;  // what it resolved to at start
    int expiry = 0;     // yyyymmdd of a derivative; 0 = none
  };
  // `source` is asked again before each download (a token file may hold a
  // new access token by then); `clock` is the wall clock (UTC ms), tests move it.
  MasterRefresher(std::function<MasterSource()> source, std::vector<Named> named,
                  InstrumentMasterInfo initial, std::function<TimeMs()> clock);
  ~MasterRefresher();  // stops and joins
  MasterRefresher(const MasterRefresher&) = delete;
  MasterRefresher& operator=(const MasterRefresher&) = delete;

  void start();
  InstrumentMasterInfo info() const;
  std::size_t refreshes() const;  // downloads attempted so far
  // Names found expired so far, each once, in the order found (any thread).
  std::vector<std::string> expired() const;

 private:
  void run();
  void check(const InstrumentMaster& master, TimeMs now);
  void mark_expired(const Named& n, int expiry);

  std::function<MasterSource()> make_source_;
  MasterSource source_;  // the latest
  std::vector<Named> named_;
  std::function<TimeMs()> clock_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  InstrumentMasterInfo info_;
  std::size_t refreshes_ = 0;
  std::vector<std::string> expired_;
  bool stop_ = false;
  std::atomic<bool> cancel_{false};  // source_.cancel: stops a download at shutdown
  std::thread thread_;
};

}  // namespace tickd::core
