// Closed candles and signals on their way into the JetStream stream: a bounded
// FIFO drained by one sender thread with at most `window` publishes awaiting
// their ack, so the observer's thread (and so the feed) never waits on NATS.
//
// Order and exactly-once storage: each record goes with its message id, and
// at most one record per subject (one series) awaits its ack, so each series
// is stored in order even when a publish fails while a later one would get
// through (a cluster electing a stream leader rejects one, stores the next).
// Other series fill the window meanwhile. When an ack fails or does not come
// in time (a lost connection, an election), every record not yet
// acknowledged is sent again, oldest first: the stream drops the copies it
// already has by message id, so each is stored once.
// The cost: one series is published at one record per ack round trip (a few
// thousand a second), which only a replay at full speed ever reaches.
// While NATS is down records wait here; when the FIFO is full a new record is
// refused and counted (the caller logs it): nothing is ever lost silently.
#pragma once

#include <nats/nats.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace tickd::nats_out {

struct OutboxRecord {
  std::string subject;
  std::string msg_id;
  std::string payload;
};

class JetStreamOutbox {
 public:
  struct Limits {
    std::size_t capacity = 100000;  // records waiting or in flight
    std::size_t window = 256;       // publishes awaiting their ack
    std::chrono::milliseconds ack_timeout{5000};
    // The observer is `overflow: block`: a full backlog makes push() wait for
    // room (back-pressure to the host's queue and the feed) instead of losing.
    bool lossless = false;
  };
  // Runs on the sender thread before the first send after each (re)connect;
  // throws to postpone sending (e.g. the stream is missing or conflicts).
  using Prepare = std::function<void()>;
  using Warn = std::function<void(const std::string&)>;

  JetStreamOutbox(Limits limits, Warn warn);
  ~JetStreamOutbox();
  JetStreamOutbox(const JetStreamOutbox&) = delete;
  JetStreamOutbox& operator=(const JetStreamOutbox&) = delete;

  // For jsOptions.PublishAsync.AckHandler, with this object as closure.
  static void ack_handler(jsCtx* js, natsMsg* msg, jsPubAck* ack, jsPubAckErr* err, void* closure);

  void start(jsCtx* js, Prepare prepare);
  // From the connection's callbacks.
  void set_connected(bool connected);

  // False (and counted as overflow) when the FIFO is full, or for a lossless
  // outbox when it is stopped while push() waits for room.
  bool push(OutboxRecord record);

  // Waits until every record is acknowledged or `timeout` passes; returns the
  // number still unacknowledged.
  std::size_t drain(std::chrono::milliseconds timeout);
  // Stops the sender thread; records still waiting stay unsent.
  void stop();

  // Thread-safe figures.
  std::uint64_t backlog() const { return backlog_.load(std::memory_order_relaxed); }
  std::uint64_t in_flight() const { return in_flight_gauge_.load(std::memory_order_relaxed); }
  std::uint64_t stored() const { return stored_.load(std::memory_order_relaxed); }
  std::uint64_t duplicates() const { return duplicates_.load(std::memory_order_relaxed); }
  std::uint64_t overflow() const { return overflow_.load(std::memory_order_relaxed); }
  std::uint64_t resends() const { return resends_.load(std::memory_order_relaxed); }
  std::uint64_t errors() const { return errors_.load(std::memory_order_relaxed); }
  bool ready() const { return ready_flag_.load(std::memory_order_relaxed); }

 private:
  enum class State : std::uint8_t { waiting, in_flight, stored };
  struct Entry {
    OutboxRecord record;
    State state = State::waiting;
    std::chrono::steady_clock::time_point sent_at;
  };
  using Lock = std::unique_lock<std::mutex>;

  void run();
  void on_ack(natsMsg* msg, const jsPubAck* ack, const jsPubAckErr* err);
  void send_window(Lock& lock);
  void take_back_in_flight(Lock& lock);
  void pop_stored();
  void publish_gauges();
  Entry* entry_at(std::uint64_t seq);

  const Limits limits_;
  const Warn warn_;
  jsCtx* js_ = nullptr;
  Prepare prepare_;
  std::thread thread_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable room_;  // a lossless push() waits here for a stored record
  std::deque<Entry> entries_;
  std::uint64_t front_seq_ = 0;  // sequence number of entries_.front()
  std::size_t next_ = 0;         // index of the first entry that may be waiting
  std::unordered_map<natsMsg*, std::uint64_t> in_flight_;
  // Subjects of the records in flight (views of their entries' subjects, which
  // stay put in the deque until stored).
  std::unordered_set<std::string_view> subjects_in_flight_;
  std::vector<std::string_view> passed_over_;  // send_window()'s, kept to reuse its room
  bool connected_ = false;
  bool ready_ = false;      // prepare() succeeded since the last connect
  bool take_back_ = false;  // an ack failed, or the connection came back
  bool wake_ = false;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point retry_after_{};

  std::atomic<std::uint64_t> backlog_{0}, in_flight_gauge_{0}, stored_{0}, duplicates_{0}, overflow_{0},
      resends_{0}, errors_{0};
  std::atomic<bool> ready_flag_{false};
};

}  // namespace tickd::nats_out
