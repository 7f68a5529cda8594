// The email_alert observer: evaluates alert rules on ticks and signals on its
// worker and hands the emails to a MailSender thread.
#pragma once

#include "alert_common/alert_engine.hpp"
#include "alert_common/message_template.hpp"
#include "alert_config.hpp"
#include "mail_sender.hpp"

#include <tickd/plugin.hpp>

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

  void start(Host& host) override;
  void on_tick(const Tick& tick) override;
  void on_signal(const Signal& signal) override;
  void stop() override;
  // Mails sent, failed attempts, and as losses mails given up on or dropped:
  // live in /health and /metrics, not only in the log at stop.
  void metrics(Metrics& m) const override;

  const AlertCounters& alert_counters() const { return engine_->counters(); }
  const SenderCounters& sender_counters() const { return sender_->counters(); }

 private:
  void send(const std::vector<std::pair<std::size_t, Alert>>& alerts);

  AlertEngine::Clock clock_;
  Host* host_ = nullptr;
  AlertConfig config_;
  std::unique_ptr<AlertEngine> engine_;
  std::unique_ptr<MailSender> sender_;
  std::unique_ptr<MessageTemplate> subject_;
  std::unique_ptr<MessageTemplate> body_;
  std::vector<std::unique_ptr<MessageTemplate>> rule_subjects_;  // null: the observer's
  std::vector<std::unique_ptr<MessageTemplate>> rule_bodies_;
};

}  // namespace tickd::email_alert
