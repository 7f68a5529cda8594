// The email_alert observer: evaluates alert rules on ticks and signals on its
// worker and hands the emails to a DeliveryQueue (alert_common, as webhook and
// telegram do), whose thread sends them over SMTP with retries.
#pragma once

#include "alert_common/alert_engine.hpp"
#include "alert_common/delivery_queue.hpp"
#include "alert_common/message_template.hpp"
#include "alert_config.hpp"
#include "mail_message.hpp"
#include "smtp_client.hpp"

#include <tickd/plugin.hpp>

#include <atomic>
#include <memory>
#include <vector>

namespace tickd::email_alert {

using alerts::Alert;
using alerts::AlertCounters;
using alerts::AlertEngine;
using alerts::MessageTemplate;

class EmailAlertObserver : public Observer {
 public:
  EmailAlertObserver();
  // For tests: the wall clock used by cooldowns and the hourly limit.
  explicit EmailAlertObserver(AlertEngine::Clock clock);
  ~EmailAlertObserver() override;

  static ConfigSchema config_schema() { return alert_config_schema(); }

  void start(Host& host) override;
  void on_tick(const Tick& tick) override;
  void on_signal(const Signal& signal) override;
  void stop() override;
  // Mails sent, failed attempts, and as losses mails given up on or dropped:
  // live in /health and /metrics, not only in the log at stop.
  void metrics(Metrics& m) const override;

  const AlertCounters& alert_counters() const { return engine_->counters(); }
  const alerts::DeliveryCounters& sender_counters() const { return queue_->counters(); }
  std::uint64_t auth_failures() const { return auth_failures_; }

 private:
  void send(const std::vector<std::pair<std::size_t, Alert>>& alerts);
  // On the queue's thread.
  alerts::DeliveryResult deliver(const MailMessage& message, const std::atomic<bool>& abort);

  AlertEngine::Clock clock_;
  Host* host_ = nullptr;
  AlertConfig config_;
  std::unique_ptr<AlertEngine> engine_;
  std::unique_ptr<MessageTemplate> subject_;
  std::unique_ptr<MessageTemplate> body_;
  std::vector<std::unique_ptr<MessageTemplate>> rule_subjects_;  // null: the observer's
  std::vector<std::unique_ptr<MessageTemplate>> rule_bodies_;
  std::unique_ptr<SmtpClient> smtp_;  // the queue's thread's
  std::string message_id_host_;
  std::uint64_t next_message_id_ = 0;  // the queue's thread's
  std::atomic<std::uint64_t> auth_failures_{0};
  std::unique_ptr<alerts::DeliveryQueue<MailMessage>> queue_;  // last: stopped before the rest goes
};

}  // namespace tickd::email_alert
