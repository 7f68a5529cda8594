#include "nats/jetstream_outbox.hpp"

#include "nats_client/nats_connection.hpp"

#include <algorithm>

namespace tickd::nats_out {

namespace {
using Clock = std::chrono::steady_clock;
// After a failed publish or a rejected ack: pause before sending again, so a
// stream that is missing does not turn into a busy loop of errors.
constexpr std::chrono::milliseconds kRetryPause{500};
// Records passed over in one turn because their series has one in flight: a
// backlog of few series must not make every ack scan all of it.
constexpr std::size_t kMaxPassedOver = 64;
}  // namespace

JetStreamOutbox::JetStreamOutbox(Limits limits, Warn warn) : limits_(limits), warn_(std::move(warn)) {}

JetStreamOutbox::~JetStreamOutbox() { stop(); }

void JetStreamOutbox::ack_handler(jsCtx*, natsMsg* msg, jsPubAck* ack, jsPubAckErr* err, void* closure) {
  static_cast<JetStreamOutbox*>(closure)->on_ack(msg, ack, err);
  natsMsg_Destroy(msg);
}

void JetStreamOutbox::start(jsCtx* js, Prepare prepare) {
  js_ = js;
  prepare_ = std::move(prepare);
  thread_ = std::thread([this] { run(); });
}

void JetStreamOutbox::set_connected(bool connected) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    connected_ = connected;
    ready_ = false;
    ready_flag_ = false;
    // What was in flight when the connection dropped may never be acked.
    if (connected) take_back_ = true;
    wake_ = true;
  }
  cv_.notify_all();
}

bool JetStreamOutbox::push(OutboxRecord record) {
  {
    Lock lock(mu_);
    if (limits_.lossless) room_.wait(lock, [&] { return entries_.size() < limits_.capacity || stopping_; });
    if (entries_.size() >= limits_.capacity) {
      overflow_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    entries_.push_back(Entry{std::move(record), State::waiting, {}});
    backlog_.store(entries_.size(), std::memory_order_relaxed);
    wake_ = true;
  }
  cv_.notify_all();
  return true;
}

JetStreamOutbox::Entry* JetStreamOutbox::entry_at(std::uint64_t seq) {
  if (seq < front_seq_ || seq - front_seq_ >= entries_.size()) return nullptr;
  return &entries_[static_cast<std::size_t>(seq - front_seq_)];
}

void JetStreamOutbox::on_ack(natsMsg* msg, const jsPubAck* ack, const jsPubAckErr* err) {
  std::string error;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = in_flight_.find(msg);
    if (it == in_flight_.end()) return;  // taken back meanwhile: it is sent again
    Entry* e = entry_at(it->second);
    in_flight_.erase(it);
    if (e) subjects_in_flight_.erase(e->record.subject);
    if (!e || e->state != State::in_flight) return;
    if (ack) {
      e->state = State::stored;
      stored_.fetch_add(1, std::memory_order_relaxed);
      if (ack->Duplicate) duplicates_.fetch_add(1, std::memory_order_relaxed);
      pop_stored();
    } else {
      e->state = State::waiting;
      const bool first = !take_back_;
      take_back_ = true;
      retry_after_ = Clock::now() + kRetryPause;
      errors_.fetch_add(1, std::memory_order_relaxed);
      if (first && err)
        error = std::string(natsStatus_GetText(err->Err)) +
                (err->ErrText ? std::string(": ") + err->ErrText : "");
    }
    publish_gauges();
    wake_ = true;
  }
  cv_.notify_all();
  if (!error.empty() && warn_) warn_("nats: JetStream did not store a message (" + error + "); resending");
}

void JetStreamOutbox::pop_stored() {
  bool popped = false;
  while (!entries_.empty() && entries_.front().state == State::stored) {
    entries_.pop_front();
    ++front_seq_;
    if (next_ > 0) --next_;
    popped = true;
  }
  if (popped && limits_.lossless) room_.notify_one();
}

void JetStreamOutbox::publish_gauges() {
  backlog_.store(entries_.size(), std::memory_order_relaxed);
  in_flight_gauge_.store(in_flight_.size(), std::memory_order_relaxed);
}

void JetStreamOutbox::take_back_in_flight(Lock& lock) {
  // The library forgets its pending publishes (their late acks are ignored);
  // every record not acknowledged goes out again, oldest first.
  // (Only after a publish: the library's pending list does not exist before.)
  if (!in_flight_.empty()) {
    lock.unlock();
    natsMsgList pending{};
    if (js_PublishAsyncGetPendingList(&pending, js_) == NATS_OK) natsMsgList_Destroy(&pending);
    lock.lock();
  }
  if (!in_flight_.empty()) resends_.fetch_add(in_flight_.size(), std::memory_order_relaxed);
  for (const auto& [msg, seq] : in_flight_)
    if (Entry* e = entry_at(seq)) e->state = State::waiting;
  in_flight_.clear();
  subjects_in_flight_.clear();
  next_ = 0;
  take_back_ = false;
  publish_gauges();
}

// At most one record per subject (one series) awaits its ack: were a later
// candle of a series stored while an earlier one failed, or was lost with a
// connection (and the client library replayed the later one on reconnect),
// the stream would hold them out of order and an edge would take the earlier
// one for a repeat. Records of other series fill the window meanwhile.
void JetStreamOutbox::send_window(Lock& lock) {
  // By stream-independent sequence numbers (`at`), not indexes: while the lock
  // is released to publish, acks may pop stored records off the front.
  // Subjects passed over in this turn stay passed over for the rest of it:
  // their record in flight may be acknowledged while the lock is released,
  // and a later record must not go before the one passed over.
  passed_over_.clear();
  for (std::uint64_t at = front_seq_ + next_;
       !stopping_ && connected_ && ready_ && !take_back_ && in_flight_.size() < limits_.window &&
       passed_over_.size() < kMaxPassedOver;
       ++at) {
    if (at < front_seq_) at = front_seq_;
    const std::size_t i = static_cast<std::size_t>(at - front_seq_);
    if (i >= entries_.size()) return;
    Entry& e = entries_[i];
    if (e.state != State::waiting) {
      if (i == next_) ++next_;
      continue;
    }
    const std::string_view subject = e.record.subject;
    if (subjects_in_flight_.count(subject) != 0 ||
        std::find(passed_over_.begin(), passed_over_.end(), subject) != passed_over_.end()) {
      passed_over_.push_back(subject);  // its series' previous record is still unacknowledged
      continue;
    }
    natsMsg* msg = nullptr;
    if (natsMsg_Create(&msg, e.record.subject.c_str(), nullptr, e.record.payload.data(),
                       static_cast<int>(e.record.payload.size())) != NATS_OK)
      return;
    const std::string id = e.record.msg_id;
    e.state = State::in_flight;
    e.sent_at = Clock::now();
    in_flight_[msg] = at;  // before publishing: the ack may come first
    subjects_in_flight_.insert(e.record.subject);
    if (i == next_) ++next_;
    publish_gauges();
    natsMsg* sent = msg;
    lock.unlock();
    jsPubOptions options;
    jsPubOptions_Init(&options);
    options.MsgId = id.c_str();
    const natsStatus s = js_PublishMsgAsync(js_, &sent, &options);
    lock.lock();
    if (s == NATS_OK) continue;
    natsMsg_Destroy(sent);  // still ours: the library did not take it
    if (in_flight_.erase(msg) != 0) {
      if (Entry* back = entry_at(at)) {
        back->state = State::waiting;
        subjects_in_flight_.erase(back->record.subject);
      }
    }
    if (at >= front_seq_) next_ = std::min(next_, static_cast<std::size_t>(at - front_seq_));
    errors_.fetch_add(1, std::memory_order_relaxed);
    retry_after_ = Clock::now() + kRetryPause;
    publish_gauges();
    return;
  }
}

void JetStreamOutbox::run() {
  Lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, std::chrono::milliseconds(50), [&] { return stopping_ || wake_; });
    wake_ = false;
    if (stopping_ || !connected_ || Clock::now() < retry_after_) continue;
    if (!ready_) {
      lock.unlock();
      std::string error;
      try {
        if (prepare_) prepare_();
      } catch (const std::exception& e) {
        error = e.what();
      }
      lock.lock();
      if (!error.empty()) {
        if (warn_) {
          lock.unlock();
          warn_(error + " (closed candles and signals wait; retrying in 5 s)");
          lock.lock();
        }
        retry_after_ = Clock::now() + std::chrono::seconds(5);
        continue;
      }
      ready_ = connected_;
      ready_flag_ = ready_;
    }
    const auto now = Clock::now();
    bool late = false;
    for (const auto& [msg, seq] : in_flight_)
      if (Entry* e = entry_at(seq); e && now - e->sent_at > limits_.ack_timeout) late = true;
    if (late || take_back_) take_back_in_flight(lock);
    send_window(lock);
  }
}

std::size_t JetStreamOutbox::drain(std::chrono::milliseconds timeout) {
  Lock lock(mu_);
  const auto until = Clock::now() + timeout;
  while (!entries_.empty() && Clock::now() < until) {
    wake_ = true;
    cv_.notify_all();
    lock.unlock();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    lock.lock();
  }
  return entries_.size();
}

void JetStreamOutbox::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  room_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace tickd::nats_out
