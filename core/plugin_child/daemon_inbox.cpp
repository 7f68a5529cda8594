#include "plugin_child/daemon_inbox.hpp"

#include <tickd/wire.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace tickd::core {

DaemonInbox::~DaemonInbox() {
  // The reader blocks on stdin until the daemon closes it, which it does only
  // once we have exited: the process ends with it still waiting.
  if (reader_.joinable()) reader_.detach();
}

bool DaemonInbox::read_more() {
  char buf[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(in_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    in_.append(buf, static_cast<std::size_t>(n));
    return true;
  }
}

bool DaemonInbox::first_line(std::string& line) {
  for (;;) {
    std::string_view view;
    bool too_long = false;
    if (in_.next(view, too_long)) {
      if (too_long) return false;
      line.assign(view.data(), view.size());
      return true;
    }
    if (too_long || !read_more()) return false;
  }
}

void DaemonInbox::start(std::function<void()> on_metrics_request) {
  on_metrics_request_ = std::move(on_metrics_request);
  reader_ = std::thread([this] { read_loop(); });
}

void DaemonInbox::read_loop() {
  std::string events;
  // Lines the hello came with are routed first.
  for (bool more = true; more; more = read_more()) {
    std::string_view line;
    bool too_long = false;
    while (in_.next(line, too_long) && !too_long) route(line, events);
    if (too_long) {
      std::fprintf(stderr, "tickd-plugin-host: a line from the daemon is over the limit\n");
      break;
    }
    if (events.empty()) continue;
    std::lock_guard<std::mutex> lock(mu_);
    if (events_.empty())
      events_.swap(events);
    else
      events_ += events;
    events.clear();
    events_cv_.notify_one();
  }
  std::lock_guard<std::mutex> lock(mu_);
  events_ += events;
  eof_ = true;
  events_cv_.notify_all();
  answers_cv_.notify_all();
}

void DaemonInbox::route(std::string_view line, std::string& events) {
  auto deliver = [this](std::uint64_t id, Answer answer) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = pending_.find(id);
    if (it == pending_.end()) return;  // its asker gave up
    it->second = std::move(answer);
    answers_cv_.notify_all();
  };
  if (collecting_left_ > 0) {
    collecting_.lines.emplace_back(line);
    if (--collecting_left_ == 0) deliver(collecting_id_, std::move(collecting_));
    return;
  }
  // Events (the bulk) are told by their first field, without parsing.
  static constexpr std::string_view kEvent = "{\"v\":";
  if (line.substr(0, kEvent.size()) != kEvent) {
    wire::FlatObject header;
    std::string error;
    std::uint64_t id = 0, count = 0;
    const wire::JsonValue* type = header.parse(line, line.size(), error) ? header.find("type") : nullptr;
    const bool has_id = type && header.find("id") && wire::json_to_integer(*header.find("id"), id);
    if (type && type->text == "metrics") {
      if (on_metrics_request_) on_metrics_request_();
      return;
    }
    if (type && type->text == "status" && has_id) {
      deliver(id, Answer{std::string(line), {}});
      return;
    }
    if (type && type->text == "history" && has_id && header.find("count") &&
        wire::json_to_integer(*header.find("count"), count)) {
      collecting_ = Answer{std::string(line), {}};
      collecting_id_ = id;
      collecting_left_ = count;
      if (count == 0) deliver(id, std::move(collecting_));
      return;
    }
  }
  events.append(line.data(), line.size());  // stop and the unknown go to the loop too, in order
  events += '\n';
}

bool DaemonInbox::take(std::string& batch, const std::function<void()>& before_wait) {
  std::unique_lock<std::mutex> lock(mu_);
  while (events_.empty() && !eof_) {
    lock.unlock();
    before_wait();
    lock.lock();
    if (!events_.empty() || eof_) break;
    events_cv_.wait(lock);
  }
  if (events_.empty()) return false;
  batch.clear();
  batch.swap(events_);
  return true;
}

std::uint64_t DaemonInbox::new_request() {
  std::lock_guard<std::mutex> lock(mu_);
  const std::uint64_t id = next_id_++;
  pending_.emplace(id, std::nullopt);
  return id;
}

bool DaemonInbox::await(std::uint64_t id, Answer& out, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  auto it = pending_.find(id);
  if (it == pending_.end()) return false;
  answers_cv_.wait_for(lock, timeout, [&] { return it->second.has_value() || eof_; });
  const bool answered = it->second.has_value();
  if (answered) out = std::move(*it->second);
  pending_.erase(it);
  return answered;
}

}  // namespace tickd::core
