// The daily refresh of a running daemon's instrument master. On a thread of
// its own (a download and parse of tens of megabytes must not hold the feed
// thread), at each day's refresh time (IST) it downloads the master again
// into the cache (the stale copy stays when the download fails), and logs
// when a subscribed name has expired, left the master or changed token: the
// running subscriptions stay as they are, a restart takes the new master.
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

 private:
  void run();
  void check(const InstrumentMaster& master, TimeMs now) const;

  std::function<MasterSource()> make_source_;
  MasterSource source_;  // the latest
  std::vector<Named> named_;
  std::function<TimeMs()> clock_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  InstrumentMasterInfo info_;
  std::size_t refreshes_ = 0;
  bool stop_ = false;
  std::atomic<bool> cancel_{false};  // source_.cancel: stops a download at shutdown
  std::thread thread_;
};

}  // namespace tickd::core
