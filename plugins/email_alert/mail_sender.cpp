#include "mail_sender.hpp"

#include <unistd.h>

#include <chrono>

namespace tickd::email_alert {

MailSender::MailSender(SmtpClient client, SenderSettings settings, Log log)
    : client_(std::move(client)), settings_(settings), log_(std::move(log)) {
  thread_ = std::thread([this] { run(); });
}

MailSender::~MailSender() { stop(0); }

bool MailSender::enqueue(MailMessage message) {
  std::unique_lock<std::mutex> lock(mu_);
  if (closing_ || queue_.size() >= settings_.queue_size) {
    ++counters_.dropped;
    auto text = drop_log_.pass("email_alert: mail queue full (" + std::to_string(settings_.queue_size) +
                               "), alert dropped: " + message.subject);
    lock.unlock();
    if (text) log_(LogLevel::warn, *text);
    return false;
  }
  queue_.push_back(std::move(message));
  ++counters_.queued;
  wake_.notify_one();
  return true;
}

void MailSender::stop(std::int64_t drain_ms) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    closing_ = true;
    wake_.notify_all();
    idle_.wait_for(lock, std::chrono::milliseconds(drain_ms), [this] { return queue_.empty() && !busy_; });
  }
  {
    // Under the lock so a backoff wait cannot miss the wake-up.
    std::lock_guard<std::mutex> lock(mu_);
    abort_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  counters_.dropped += queue_.size();
  queue_.clear();
}

void MailSender::run() {
  for (;;) {
    MailMessage message;
    {
      std::unique_lock<std::mutex> lock(mu_);
      busy_ = false;
      idle_.notify_all();
      wake_.wait(lock, [this] { return abort_ || closing_ || !queue_.empty(); });
      if (abort_ || queue_.empty()) return;
      message = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
    }
    deliver(message);
  }
}

void MailSender::deliver(const MailMessage& message) {
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  const std::string id = std::to_string(message.date) + "." + std::to_string(++next_id_) + ".tickd@" + host;
  const std::string payload = render_message(message, id);
  std::int64_t delay = settings_.retry_initial_ms;
  for (std::uint32_t attempt = 1;; ++attempt) {
    const SendResult r = client_.send(message.from, message.to, payload, abort_);
    if (r.kind == SendResult::Kind::sent) {
      ++counters_.sent;
      if (failures_in_a_row_ > 0)
        log_(LogLevel::info, "email_alert: SMTP delivery recovered after " +
                                 std::to_string(failures_in_a_row_) + " failed attempt(s)");
      failures_in_a_row_ = 0;
      return;
    }
    ++counters_.send_errors;
    ++failures_in_a_row_;
    if (abort_) {
      ++counters_.dropped;
      return;
    }
    if (r.auth_failed) {
      ++counters_.auth_failures;
      ++counters_.failed;
      log_failure(LogLevel::error, "email_alert: " + r.error + "; alert not sent: " + message.subject);
      return;
    }
    if (r.kind == SendResult::Kind::permanent || attempt >= settings_.max_attempts) {
      ++counters_.failed;
      log_failure(LogLevel::error, "email_alert: giving up on an alert after " + std::to_string(attempt) +
                                       " attempt(s): " + r.error + "; alert: " + message.subject);
      return;
    }
    log_failure(LogLevel::warn, "email_alert: SMTP send failed (attempt " + std::to_string(attempt) +
                                    "), retrying in " + std::to_string(delay) + " ms: " + r.error);
    if (!backoff(delay)) {
      ++counters_.dropped;
      return;
    }
    delay = std::min(delay * 2, settings_.retry_max_ms);
  }
}

bool MailSender::backoff(std::int64_t ms) {
  std::unique_lock<std::mutex> lock(mu_);
  return !wake_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return abort_.load(); });
}

void MailSender::log_failure(LogLevel level, const std::string& text) {
  // Auth errors and give-ups are rare and each one matters: always logged.
  // Retry warnings during an outage are rate-limited.
  if (level == LogLevel::error) {
    log_(level, text);
    return;
  }
  if (auto limited = failure_log_.pass(text)) log_(level, *limited);
}

}  // namespace tickd::email_alert
