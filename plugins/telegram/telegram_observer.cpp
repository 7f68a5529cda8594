#include "telegram_observer.hpp"

#include <tickd/backoff.hpp>
#include "telegram_html.hpp"

#include <chrono>

namespace tickd::telegram {
namespace {

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

TelegramObserver::TelegramObserver() : TelegramObserver(&alerts::wall_clock_ms) {}
TelegramObserver::TelegramObserver(alerts::AlertEngine::Clock clock) : clock_(std::move(clock)) {}

TelegramObserver::~TelegramObserver() {
  stopping_ = true;
  stop_cv_.notify_all();
  if (poller_.joinable()) poller_.join();
}

void TelegramObserver::start(Host& host) {
  host_ = &host;
  config_ = read_telegram_config(host.config_view(config_schema()));
  subscriptions_ = std::make_unique<Subscriptions>(config_.state_file, config_.chats);
  commands_ = std::make_unique<Commands>(host, config_, *subscriptions_);
  message_ = std::make_unique<alerts::MessageTemplate>(config_.message, "message");
  for (const auto& rule : config_.rules.rules)
    rule_messages_.push_back(rule.templates.count("message") ? std::make_unique<alerts::MessageTemplate>(
                                                                   rule.templates.at("message"), rule.name)
                                                             : nullptr);
  engine_ = std::make_unique<alerts::AlertEngine>(std::string(host.name()), config_.rules.rules,
                                                  config_.rules.max_per_hour, clock_);
  limiter_ = RateLimiter(config_.per_chat_interval_ms, config_.global_per_second);
  sender_api_ = std::make_unique<BotApi>(config_.api_url, config_.token, config_.http);
  Host* h = host_;
  queue_ = std::make_unique<alerts::DeliveryQueue<Outgoing>>(
      "telegram", config_.delivery.settings,
      [this](const Outgoing& m, const std::atomic<bool>& abort) { return send(m, abort); },
      [h](LogLevel level, const std::string& text) { h->log(level, text); });
  if (config_.commands) poller_ = std::thread([this] { poll(); });
  host.info("telegram: " + std::to_string(config_.rules.rules.size()) + " rule(s) to " +
            std::to_string(config_.chats.size()) + " chat(s) via " + http::redact_url(config_.api_url) +
            (config_.commands ? ", answering commands from " +
                                    std::to_string(config_.chats.size() + config_.allowed_chats.size()) +
                                    " allowed chat(s)"
                              : std::string()));
}

void TelegramObserver::on_tick(const Tick& tick) {
  if (engine_) deliver(engine_->on_tick(tick));
}

void TelegramObserver::on_signal(const Signal& signal) {
  if (engine_) deliver(engine_->on_signal(signal));
}

void TelegramObserver::deliver(const std::vector<std::pair<std::size_t, alerts::Alert>>& alerts) {
  for (const auto& [index, alert] : alerts) {
    const auto& tmpl = rule_messages_[index] ? *rule_messages_[index] : *message_;
    std::string html = tmpl.render(alert, &html_escape);
    if (html_visible_length(html) > kMaxMessageChars) {
      html = html_truncate(html, kMaxMessageChars);
      ++truncated_;
    }
    for (auto chat : subscriptions_->recipients(alert.rule)) queue_->enqueue(Outgoing{chat, html, {}});
  }
}

alerts::DeliveryResult TelegramObserver::send(const Outgoing& m, const std::atomic<bool>& abort) {
  for (std::int64_t wait; (wait = limiter_.wait_ms(m.chat, steady_ms())) > 0;)
    if (!queue_->sleep(wait)) return {alerts::DeliveryResult::Kind::retry, -1, "stopping"};
  limiter_.sent(m.chat, steady_ms());
  auto r = m.png.empty() ? sender_api_->send_message(m.chat, m.html, abort)
                         : sender_api_->send_photo(m.chat, m.png, m.html, abort);
  if (r.kind == alerts::DeliveryResult::Kind::throttled && r.retry_after_ms > 0)
    limiter_.hold(m.chat, steady_ms() + r.retry_after_ms);
  return r;
}

bool TelegramObserver::pause(std::int64_t ms) {
  std::unique_lock<std::mutex> lock(stop_mu_);
  return !stop_cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_.load(); });
}

void TelegramObserver::poll() {
  BotApi api(config_.api_url, config_.token, config_.http);
  tickd::Backoff backoff(std::chrono::seconds(1), std::chrono::seconds(60));
  std::int64_t offset = 0;
  const std::int64_t timeout_s = config_.poll_timeout_ms / 1000;
  while (!stopping_) {
    auto r = api.get_updates(offset, timeout_s, stopping_);
    if (stopping_) break;
    if (r.result.kind != alerts::DeliveryResult::Kind::sent) {
      ++poll_errors_;
      const std::int64_t wait =
          r.result.retry_after_ms > 0 ? r.result.retry_after_ms : backoff.next().count();
      if (auto text = poll_log_.pass("telegram: getUpdates failed, trying again in " + std::to_string(wait) +
                                     " ms: " + r.result.error))
        host_->warn(*text);
      if (!pause(wait)) break;
      continue;
    }
    backoff.reset();
    for (const auto& update : r.updates) {
      if (update.contains("update_id") && update["update_id"].is_number_integer())
        offset = std::max(offset, update["update_id"].get<std::int64_t>() + 1);  // confirms it
      handle_update(update);
    }
  }
}

void TelegramObserver::handle_update(const nlohmann::json& update) {
  const auto command = command_of(update);
  if (!command) return;
  const std::int64_t chat = command->chat;
  if (!config_.allowed(chat)) {
    ++commands_refused_;  // and no answer at all: the bot does not reveal itself
    if (auto line = refused_log_.pass("telegram: ignored a command from chat " + std::to_string(chat) +
                                      ", which is not in chats or allowed_chats"))
      host_->warn(*line);
    return;
  }
  Reply reply;
  try {
    reply = commands_->handle(chat, command->text);
  } catch (const std::exception& e) {
    reply.html = "Sorry, that failed: " + html_escape(e.what());
  }
  if (reply.html.empty()) return;
  ++commands_answered_;
  queue_->enqueue(Outgoing{chat, reply.png.empty() ? reply.html : html_truncate(reply.html, kMaxCaptionChars),
                           std::move(reply.png)});
}

void TelegramObserver::stop() {
  stopping_ = true;
  stop_cv_.notify_all();
  if (poller_.joinable()) poller_.join();
  if (!queue_) return;
  queue_->stop(config_.delivery.stop_timeout_ms);
  const auto& d = queue_->counters();
  host_->info("telegram: " + alerts::alert_summary(engine_->counters()) + "; " + std::to_string(d.sent) +
              " message(s) sent, " + std::to_string(d.failed) + " failed, " + std::to_string(d.dropped) +
              " dropped, " + std::to_string(d.throttled) + " 429(s); " + std::to_string(commands_answered_) +
              " command(s) answered, " + std::to_string(commands_refused_) + " refused");
}

void TelegramObserver::metrics(Metrics& out) const {
  if (!engine_ || !queue_) return;
  const auto& d = queue_->counters();
  auto n = [](const std::atomic<std::uint64_t>& v) { return static_cast<double>(v.load()); };
  alerts::report_alert_metrics(engine_->counters(), out);
  out.counter("telegram_sent", "Messages and photos Telegram accepted", n(d.sent));
  out.counter("telegram_errors", "Failed sends (no answer, 5xx, refused)", n(d.errors));
  out.counter("telegram_retried", "Sends made again after a failure or a 429", n(d.retried));
  out.counter("telegram_throttled", "429 answers (retry_after honoured)", n(d.throttled));
  out.loss("telegram_failed", "Messages given up on (after retries, or refused by Telegram)", n(d.failed));
  out.loss("telegram_dropped", "Messages dropped from a full queue or left at stop", n(d.dropped));
  out.gauge("telegram_queue_depth", "Messages waiting to be sent", n(d.depth));
  out.counter("telegram_truncated", "Alert messages cut to 4096 characters", n(truncated_));
  out.counter("telegram_commands_answered", "Commands answered", n(commands_answered_));
  out.counter("telegram_commands_refused", "Commands from chats not allowed (not answered)",
              n(commands_refused_));
  out.counter("telegram_poll_errors", "getUpdates calls that failed", n(poll_errors_));
}

}  // namespace tickd::telegram
