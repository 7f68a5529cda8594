#include "email_alert_observer.hpp"

#include <unistd.h>

namespace tickd::email_alert {

EmailAlertObserver::EmailAlertObserver() : EmailAlertObserver(&alerts::wall_clock_ms) {}
EmailAlertObserver::EmailAlertObserver(AlertEngine::Clock clock) : clock_(std::move(clock)) {}
EmailAlertObserver::~EmailAlertObserver() {
  if (queue_) queue_->stop(0);
}

void EmailAlertObserver::start(Host& host) {
  host_ = &host;
  config_ = read_alert_config(host.config_view(config_schema()));
  subject_ = std::make_unique<MessageTemplate>(config_.subject, "subject");
  body_ = std::make_unique<MessageTemplate>(config_.body, "body");
  for (const auto& rule : config_.rules.rules) {
    rule_subjects_.push_back(rule.templates.count("subject")
                                 ? std::make_unique<MessageTemplate>(rule.templates.at("subject"), rule.name)
                                 : nullptr);
    rule_bodies_.push_back(rule.templates.count("body")
                               ? std::make_unique<MessageTemplate>(rule.templates.at("body"), rule.name)
                               : nullptr);
  }
  engine_ = std::make_unique<AlertEngine>(std::string(host.name()), config_.rules.rules,
                                          config_.rules.max_per_hour, clock_);
  SmtpClient::global_init();
  smtp_ = std::make_unique<SmtpClient>(config_.smtp);
  char name[256] = "localhost";
  gethostname(name, sizeof name - 1);
  message_id_host_ = name;
  Host* h = host_;
  queue_ = std::make_unique<alerts::DeliveryQueue<MailMessage>>(
      "email_alert", config_.delivery.settings,
      [this](const MailMessage& m, const std::atomic<bool>& abort) { return deliver(m, abort); },
      [h](LogLevel level, const std::string& text) { h->log(level, text); });
  host.info("email_alert: " + std::to_string(config_.rules.rules.size()) + " rule(s), mail via " +
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
    queue_->enqueue(std::move(m));
  }
}

alerts::DeliveryResult EmailAlertObserver::deliver(const MailMessage& message,
                                                   const std::atomic<bool>& abort) {
  using Kind = alerts::DeliveryResult::Kind;
  const std::string id =
      std::to_string(message.date) + "." + std::to_string(++next_message_id_) + ".tickd@" + message_id_host_;
  const SendResult r = smtp_->send(message.from, message.to, render_message(message, id), abort);
  if (r.kind == SendResult::Kind::sent) return {Kind::sent, -1, {}};
  // Wrong credentials are not retried: the queue gives the mail up at once
  // and logs the error, which says which keys to check.
  if (r.auth_failed) ++auth_failures_;
  return {r.kind == SendResult::Kind::permanent ? Kind::permanent : Kind::retry, -1,
          r.error + "; alert: " + message.subject};
}

void EmailAlertObserver::stop() {
  if (!queue_) return;
  queue_->stop(config_.delivery.stop_timeout_ms);
  const auto& s = queue_->counters();
  host_->info("email_alert: " + alerts::alert_summary(engine_->counters()) + "; " + std::to_string(s.sent) +
              " sent, " + std::to_string(s.failed) + " failed (" + std::to_string(auth_failures_) +
              " auth), " + std::to_string(s.dropped) + " dropped, " + std::to_string(s.errors) +
              " SMTP errors");
}

void EmailAlertObserver::metrics(Metrics& out) const {
  // engine_ and queue_ are set in start(), before the host asks for figures.
  if (!engine_ || !queue_) return;
  const auto& s = queue_->counters();
  auto n = [](const std::atomic<std::uint64_t>& v) { return static_cast<double>(v.load()); };
  alerts::report_alert_metrics(engine_->counters(), out);
  out.counter("mails_sent", "Alert emails accepted by the SMTP server", n(s.sent));
  out.counter("mail_send_errors", "Failed SMTP attempts, retried or not", n(s.errors));
  out.counter("mail_auth_failures", "SMTP logins refused", n(auth_failures_));
  out.loss("mails_failed", "Alert emails given up on after their retries", n(s.failed));
  out.loss("mails_dropped", "Alert emails dropped from a full queue or left at stop", n(s.dropped));
}

}  // namespace tickd::email_alert
