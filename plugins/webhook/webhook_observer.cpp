#include "webhook_observer.hpp"

#include "hmac_signature.hpp"

#include <chrono>

namespace tickd::webhook {
namespace {

// 2xx sent; 429 wait as told; 408 and 5xx (and no answer) try again; any
// other 4xx means the request itself is wrong: retrying cannot help.
alerts::DeliveryResult classify(const http::HttpResponse& r) {
  using Kind = alerts::DeliveryResult::Kind;
  if (r.ok()) return {Kind::sent, -1, {}};
  if (!r.error.empty()) return {Kind::retry, -1, r.error};
  const std::string what = "HTTP " + std::to_string(r.status);
  if (r.status == 429) return {Kind::throttled, r.retry_after_ms, what};
  if (r.status == 408 || r.status >= 500) return {Kind::retry, r.retry_after_ms, what};
  return {Kind::permanent, -1, what};
}

}  // namespace

struct WebhookObserver::Target {
  Target(const TargetConfig& c, const http::HttpOptions& options, std::size_t index)
      : config(c), body(c, "config.targets[" + std::to_string(index) + "]"), client(options) {}
  TargetConfig config;
  BodyRenderer body;
  http::HttpClient client;  // used by the queue's thread only
  std::unique_ptr<alerts::DeliveryQueue<std::string>> queue;
};

WebhookObserver::WebhookObserver() : WebhookObserver(&alerts::wall_clock_ms) {}
WebhookObserver::WebhookObserver(alerts::AlertEngine::Clock clock) : clock_(std::move(clock)) {}
WebhookObserver::~WebhookObserver() = default;

void WebhookObserver::start(Host& host) {
  host_ = &host;
  config_ = read_webhook_config(host.config_view(config_schema()));
  for (const auto& rule : config_.rules.rules)
    rule_messages_.push_back(rule.templates.count("message") ? std::make_unique<alerts::MessageTemplate>(
                                                                   rule.templates.at("message"), rule.name)
                                                             : nullptr);
  engine_ = std::make_unique<alerts::AlertEngine>(std::string(host.name()), config_.rules.rules,
                                                  config_.rules.max_per_hour, clock_);
  Host* h = host_;
  auto log = [h](LogLevel level, const std::string& text) { h->log(level, text); };
  std::string where;
  for (std::size_t i = 0; i < config_.targets.size(); ++i) {
    auto target = std::make_unique<Target>(config_.targets[i], config_.http, i);
    Target* t = target.get();
    auto send = [t](const std::string& body, const std::atomic<bool>& abort) {
      http::HttpRequest request;
      request.url = t->config.url;
      request.body = body;
      request.headers = t->config.headers;
      if (!t->config.secret.empty()) {
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        request.headers.push_back("X-Tickd-Timestamp: " + std::to_string(now));
        request.headers.push_back(signature_header(t->config.secret, now, body));
      }
      return classify(t->client.perform(request, abort));
    };
    const std::string what = "webhook " + http::redact_url(t->config.url);
    target->queue =
        std::make_unique<alerts::DeliveryQueue<std::string>>(what, config_.delivery.settings, send, log);
    where += (where.empty() ? "" : ", ") + http::redact_url(t->config.url);
    targets_.push_back(std::move(target));
  }
  host.info("webhook: " + std::to_string(config_.rules.rules.size()) + " rule(s), POST to " + where);
}

const alerts::DeliveryCounters& WebhookObserver::target_counters(std::size_t i) const {
  return targets_.at(i)->queue->counters();
}

void WebhookObserver::on_tick(const Tick& tick) {
  if (engine_) deliver(engine_->on_tick(tick));
}

void WebhookObserver::on_signal(const Signal& signal) {
  if (engine_) deliver(engine_->on_signal(signal));
}

void WebhookObserver::deliver(const std::vector<std::pair<std::size_t, alerts::Alert>>& alerts) {
  for (const auto& [index, alert] : alerts)
    for (auto& target : targets_)
      target->queue->enqueue(target->body.render(alert, rule_messages_[index].get(), host_->name()));
}

void WebhookObserver::stop() {
  // The targets drain in parallel: each gets the whole stop_timeout.
  std::vector<std::thread> stoppers;
  for (auto& target : targets_)
    stoppers.emplace_back([&target, this] { target->queue->stop(config_.delivery.stop_timeout_ms); });
  for (auto& s : stoppers) s.join();
  if (!engine_) return;
  std::uint64_t sent = 0, failed = 0, dropped = 0, errors = 0;
  for (const auto& target : targets_) {
    const auto& c = target->queue->counters();
    sent += c.sent;
    failed += c.failed;
    dropped += c.dropped;
    errors += c.errors;
  }
  host_->info("webhook: " + alerts::alert_summary(engine_->counters()) + "; " + std::to_string(sent) +
              " POST(s) delivered, " + std::to_string(failed) + " failed, " + std::to_string(dropped) +
              " dropped, " + std::to_string(errors) + " failed attempt(s)");
}

void WebhookObserver::metrics(Metrics& out) const {
  if (!engine_) return;
  alerts::report_alert_metrics(engine_->counters(), out);
  double sent = 0, errors = 0, retried = 0, throttled = 0, failed = 0, dropped = 0, depth = 0;
  for (const auto& target : targets_) {
    const auto& c = target->queue->counters();
    sent += static_cast<double>(c.sent.load());
    errors += static_cast<double>(c.errors.load());
    retried += static_cast<double>(c.retried.load());
    throttled += static_cast<double>(c.throttled.load());
    failed += static_cast<double>(c.failed.load());
    dropped += static_cast<double>(c.dropped.load());
    depth += static_cast<double>(c.depth.load());
  }
  out.counter("webhooks_sent", "Webhook POSTs the receiver accepted (2xx)", sent);
  out.counter("webhook_errors", "Failed webhook attempts (no answer, 5xx, 4xx)", errors);
  out.counter("webhooks_retried", "Webhook POSTs sent again after a failure or a 429", retried);
  out.counter("webhooks_throttled", "429 answers from webhook receivers", throttled);
  out.loss("webhooks_failed", "Webhook POSTs given up on after their retries", failed);
  out.loss("webhooks_dropped", "Webhook POSTs dropped from a full queue or left at stop", dropped);
  out.gauge("webhook_queue_depth", "Webhook POSTs waiting to be sent", depth);
}

}  // namespace tickd::webhook
