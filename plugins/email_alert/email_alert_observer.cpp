#include "email_alert_observer.hpp"

#include <chrono>

namespace tickd::email_alert {
namespace {

TimeMs system_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

EmailAlertObserver::EmailAlertObserver() : EmailAlertObserver(&system_now) {}
EmailAlertObserver::EmailAlertObserver(AlertEngine::Clock clock) : clock_(std::move(clock)) {}
EmailAlertObserver::~EmailAlertObserver() = default;

void EmailAlertObserver::start(Host& host) {
  host_ = &host;
  config_ = parse_alert_config(host.config());
  subject_ = std::make_unique<MessageTemplate>(config_.subject, "subject");
  body_ = std::make_unique<MessageTemplate>(config_.body, "body");
  for (const auto& rule : config_.rules) {
    rule_subjects_.push_back(rule.templates.count("subject")
                                 ? std::make_unique<MessageTemplate>(rule.templates.at("subject"), rule.name)
                                 : nullptr);
    rule_bodies_.push_back(rule.templates.count("body")
                               ? std::make_unique<MessageTemplate>(rule.templates.at("body"), rule.name)
                               : nullptr);
  }
  engine_ =
      std::make_unique<AlertEngine>(std::string(host.name()), config_.rules, config_.max_per_hour, clock_);
  SmtpClient::global_init();
  SenderSettings settings;
  settings.queue_size = config_.queue_size;
  settings.retry_initial_ms = config_.retry_initial_ms;
  settings.retry_max_ms = config_.retry_max_ms;
  settings.max_attempts = config_.max_attempts;
  Host* h = host_;
  sender_ =
      std::make_unique<MailSender>(SmtpClient(config_.smtp), settings,
                                   [h](LogLevel level, const std::string& text) { h->log(level, text); });
  host.info("email_alert: " + std::to_string(config_.rules.size()) + " rule(s), mail via " +
            config_.smtp.url + " to " + std::to_string(config_.to.size()) + " recipient(s)");
}

void EmailAlertObserver::on_tick(const Tick& tick) {
  if (engine_) send(engine_->on_tick(tick));
}

void EmailAlertObserver::on_signal(const Signal& signal) {
  if (engine_) send(engine_->on_signal(signal));
}

void EmailAlertObserver::send(const std::vector<std::pair<std::size_t, Alert>>& alerts) {
  for (const auto& [index, alert] : alerts) {
    MailMessage m;
    m.from = config_.from;
    m.to = config_.to;
    m.subject = (rule_subjects_[index] ? *rule_subjects_[index] : *subject_).render(alert);
    m.body = (rule_bodies_[index] ? *rule_bodies_[index] : *body_).render(alert);
    m.date = clock_();
    sender_->enqueue(std::move(m));
  }
}

void EmailAlertObserver::stop() {
  if (!sender_) return;
  sender_->stop(config_.stop_timeout_ms);
  const auto& a = engine_->counters();
  const auto& s = sender_->counters();
  host_->info("email_alert: " + std::to_string(a.raised) + " alert(s) raised, " + std::to_string(a.cooldown) +
              " in cooldown, " + std::to_string(a.rate_limited) + " over max_per_hour; " +
              std::to_string(s.sent) + " sent, " + std::to_string(s.failed) + " failed (" +
              std::to_string(s.auth_failures) + " auth), " + std::to_string(s.dropped) + " dropped, " +
              std::to_string(s.send_errors) + " SMTP errors");
}

}  // namespace tickd::email_alert

namespace tickd::email_alert {

void EmailAlertObserver::metrics(Metrics& out) const {
  // engine_ and sender_ are set in start(), before the host asks for figures.
  if (!engine_ || !sender_) return;
  const auto& a = engine_->counters();
  const auto& s = sender_->counters();
  out.counter("alerts_raised", "Alert rules that fired", static_cast<double>(a.raised.load()));
  out.counter("alerts_cooldown", "Alerts held back by a rule's cooldown",
              static_cast<double>(a.cooldown.load()));
  out.counter("alerts_rate_limited", "Alerts held back by max_per_hour",
              static_cast<double>(a.rate_limited.load()));
  out.counter("mails_sent", "Alert emails accepted by the SMTP server", static_cast<double>(s.sent.load()));
  out.counter("mail_send_errors", "Failed SMTP attempts, retried or not",
              static_cast<double>(s.send_errors.load()));
  out.counter("mail_auth_failures", "SMTP logins refused", static_cast<double>(s.auth_failures.load()));
  out.loss("mails_failed", "Alert emails given up on after their retries",
           static_cast<double>(s.failed.load()));
  out.loss("mails_dropped", "Alert emails dropped from a full queue or left at stop",
           static_cast<double>(s.dropped.load()));
}

}  // namespace tickd::email_alert
