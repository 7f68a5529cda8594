// Which chats receive which alert rules. The configured `chats` receive every
// rule unless they /unsubscribe from it; any other allowed chat receives the
// rules it /subscribes to. Kept in a small JSON file (written atomically on
// every change, fsynced) so that it survives a restart:
//   {"version":1,"chats":{"-1001":{"subscribed":["btc_70k"],"unsubscribed":[]}}}
// Thread-safe: commands change it on the polling thread, alerts read it on
// the worker.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace tickd::telegram {

class Subscriptions {
 public:
  // `path` empty: kept in memory only. Throws std::runtime_error when the
  // file exists but cannot be read or parsed (better than forgetting it).
  Subscriptions(std::string path, std::vector<std::int64_t> default_chats);

  std::vector<std::int64_t> recipients(const std::string& rule) const;
  bool receives(std::int64_t chat, const std::string& rule) const;

  // Each returns an empty string, or why the change could not be saved (it
  // still holds in memory).
  std::string subscribe(std::int64_t chat, const std::string& rule);
  std::string unsubscribe(std::int64_t chat, const std::string& rule);

 private:
  struct ChatState {
    std::set<std::string> subscribed;
    std::set<std::string> unsubscribed;
  };
  bool receives_locked(std::int64_t chat, const std::string& rule) const;
  std::string save_locked() const;

  std::string path_;
  std::vector<std::int64_t> default_chats_;
  mutable std::mutex mu_;
  std::map<std::int64_t, ChatState> chats_;
};

}  // namespace tickd::telegram
