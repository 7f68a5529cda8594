// Delivers queued alert emails on its own thread, so SMTP latency or an outage
// never reaches the observer's worker: a bounded queue (a full queue drops the
// new mail and counts it), retries with exponential backoff, rate-limited
// logging of failures and counters for everything.
#pragma once

#include "alert_common/log_limiter.hpp"
#include "mail_message.hpp"
#include "smtp_client.hpp"

#include <tickd/host.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace tickd::email_alert {

struct SenderSettings {
  std::size_t queue_size = 100;
  std::int64_t retry_initial_ms = 1000;
  std::int64_t retry_max_ms = 300000;
  std::uint32_t max_attempts = 10;
};

struct SenderCounters {
  std::atomic<std::uint64_t> queued{0};
  std::atomic<std::uint64_t> sent{0};
  std::atomic<std::uint64_t> dropped{0};      // queue full or left at shutdown
  std::atomic<std::uint64_t> send_errors{0};  // failed attempts, retried or not
  std::atomic<std::uint64_t> failed{0};       // mails given up on
  std::atomic<std::uint64_t> auth_failures{0};
};

class MailSender {
 public:
  using Log = std::function<void(LogLevel, const std::string&)>;

  MailSender(SmtpClient client, SenderSettings settings, Log log);
  ~MailSender();  // aborts whatever is left
  MailSender(const MailSender&) = delete;
  MailSender& operator=(const MailSender&) = delete;

  // Never blocks beyond a short lock. False when the queue was full.
  bool enqueue(MailMessage message);

  // Stops accepting mail, lets the queue drain for up to `drain_ms`, then
  // aborts the transfer in progress and joins the thread.
  void stop(std::int64_t drain_ms);

  const SenderCounters& counters() const { return counters_; }

 private:
  void run();
  void deliver(const MailMessage& message);
  bool backoff(std::int64_t ms);  // false when aborted
  void log_failure(LogLevel level, const std::string& text);

  SmtpClient client_;
  SenderSettings settings_;
  Log log_;
  SenderCounters counters_;
  alerts::LogLimiter failure_log_{std::chrono::seconds(60)};
  alerts::LogLimiter drop_log_{std::chrono::seconds(60)};
  std::uint64_t failures_in_a_row_ = 0;
  std::uint64_t next_id_ = 0;

  std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<MailMessage> queue_;
  bool busy_ = false;
  bool closing_ = false;
  std::atomic<bool> abort_{false};
  std::thread thread_;
};

}  // namespace tickd::email_alert
