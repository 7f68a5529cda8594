// The telegram observer. Alerts: the rules run on the worker, each message is
// rendered (HTML, values escaped, at most 4096 characters) and queued for
// every chat that receives its rule; one sender thread paces them to
// Telegram's limits and retries. Commands: a polling thread long-polls
// getUpdates, answers allowed chats only (others get nothing) and queues the
// answers on the same sender.
#pragma once

#include "alert_common/alert_engine.hpp"
#include "alert_common/delivery_queue.hpp"
#include "alert_common/message_template.hpp"
#include "bot_api.hpp"
#include "commands.hpp"
#include "rate_limiter.hpp"
#include "subscriptions.hpp"
#include "telegram_config.hpp"

#include <tickd/log_throttle.hpp>
#include <tickd/plugin.hpp>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace tickd::telegram {

struct Outgoing {
  std::int64_t chat = 0;
  std::string html;  // the message, or the photo's caption
  std::string png;   // non-empty: sendPhoto
};

class TelegramObserver : public Observer {
 public:
  TelegramObserver();
  // For tests: the wall clock used by cooldowns and the hourly limit.
  explicit TelegramObserver(alerts::AlertEngine::Clock clock);
  ~TelegramObserver() override;

  static ConfigSchema config_schema() { return telegram_config_schema(); }

  void start(Host& host) override;
  void on_tick(const Tick& tick) override;
  void on_signal(const Signal& signal) override;
  void stop() override;
  void metrics(Metrics& out) const override;

  const alerts::DeliveryCounters& delivery_counters() const { return queue_->counters(); }

 private:
  void deliver(const std::vector<std::pair<std::size_t, alerts::Alert>>& alerts);
  alerts::DeliveryResult send(const Outgoing& message, const std::atomic<bool>& abort);
  void poll();
  void handle_update(const nlohmann::json& update);
  bool pause(std::int64_t ms);  // false when stopping

  alerts::AlertEngine::Clock clock_;
  Host* host_ = nullptr;
  TelegramConfig config_;
  std::unique_ptr<Subscriptions> subscriptions_;
  std::unique_ptr<Commands> commands_;
  std::unique_ptr<alerts::AlertEngine> engine_;
  std::unique_ptr<alerts::MessageTemplate> message_;
  std::vector<std::unique_ptr<alerts::MessageTemplate>> rule_messages_;  // null: the observer's

  std::unique_ptr<BotApi> sender_api_;  // the sender thread's
  RateLimiter limiter_{1000, 25};       // the sender thread's
  std::unique_ptr<alerts::DeliveryQueue<Outgoing>> queue_;

  std::atomic<std::uint64_t> commands_answered_{0};
  std::atomic<std::uint64_t> commands_refused_{0};
  std::atomic<std::uint64_t> poll_errors_{0};
  std::atomic<std::uint64_t> truncated_{0};
  LogThrottle refused_log_{1, std::chrono::minutes(1)};  // the poller thread's
  LogThrottle poll_log_{1, std::chrono::minutes(1)};

  std::atomic<bool> stopping_{false};
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  std::thread poller_;
};

}  // namespace tickd::telegram
