// A candle update or signal on its way from the observer's worker thread to the
// io thread. The worker serializes it once for every stream that has clients;
// the io thread fills in a stream that gained its first client meanwhile.
#pragma once

#include "frame.hpp"
#include "payloads.hpp"
#include "series_table.hpp"

#include <tickd/types.hpp>

#include <array>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace tickd::ws {

struct Event {
  Candle candle;                         // candle events; symbol points into the host's table
  std::shared_ptr<const Signal> signal;  // signal events
  std::size_t symbol_index = 0;
  std::optional<SeriesId> series;  // a signal without interval goes to every series of the symbol
  double ts_ms = 0;
  std::array<MessagePtr, kStreamCount> frames;
  bool frames_done[kStreamCount] = {false, false, false, false};

  bool is_signal() const { return signal != nullptr; }
  // nullptr when this stream carries no such message.
  const MessagePtr& frame_for(Stream stream);
};

// Many writers (in practice one worker), one reader that takes everything at once.
class EventInbox {
 public:
  // True when the inbox was empty: the caller wakes the io thread.
  bool push(Event&& event) {
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back(std::move(event));
    return events_.size() == 1;
  }
  void take(std::vector<Event>& out) {
    out.clear();
    std::lock_guard<std::mutex> lock(mu_);
    out.swap(events_);
  }

 private:
  std::mutex mu_;
  std::vector<Event> events_;
};

}  // namespace tickd::ws
