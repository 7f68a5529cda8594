// The child's lines from the daemon, sorted by a reader thread of their own:
// events (and stop) queue for the event loop; answers (history, status) go to
// whichever thread asked, so a plugin may ask from any thread, even while the
// event loop is busy or waiting; metrics requests are answered on the reader
// thread at once (a plugin's metrics() may run on any thread).
#pragma once

#include "process/line_buffer.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tickd::core {

class DaemonInbox {
 public:
  struct Answer {
    std::string header;              // the answer's first line
    std::vector<std::string> lines;  // a history answer's candles
  };

  DaemonInbox(int in_fd, std::size_t max_line) : in_fd_(in_fd), in_(max_line) {}
  ~DaemonInbox();

  // Before start(): the first line (the hello), read on the calling thread.
  bool first_line(std::string& line);
  // Starts the reader thread; `on_metrics_request` runs on it.
  void start(std::function<void()> on_metrics_request);

  // Event loop: waits for lines for it and moves them into `batch` (each with
  // its "\n"). `before_wait` runs, without the lock, each time it is about to
  // wait: the moment to acknowledge what was handled. False at end of input
  // once nothing is left.
  bool take(std::string& batch, const std::function<void()>& before_wait);

  // Any thread: a new request id, registered so that its answer is kept.
  std::uint64_t new_request();
  // Waits for the answer to `id` (registered with new_request). False at end
  // of input or after `timeout`.
  bool await(std::uint64_t id, Answer& out, std::chrono::milliseconds timeout);

 private:
  void read_loop();
  void route(std::string_view line, std::string& events);
  bool read_more();

  int in_fd_;
  LineBuffer in_;  // reader thread only (after first_line)
  std::function<void()> on_metrics_request_;
  std::thread reader_;
  // A history answer being collected (reader thread only).
  std::uint64_t collecting_id_ = 0;
  std::size_t collecting_left_ = 0;
  Answer collecting_;

  std::mutex mu_;
  std::condition_variable events_cv_, answers_cv_;
  std::string events_;  // lines for the event loop
  bool eof_ = false;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, std::optional<Answer>> pending_;
};

}  // namespace tickd::core
