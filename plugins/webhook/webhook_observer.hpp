// The webhook observer: evaluates the alert rules on its worker, renders one
// body per target and hands it to that target's DeliveryQueue, whose thread
// POSTs it (a slow or dead URL holds up only its own queue).
#pragma once

#include "alert_common/alert_engine.hpp"
#include "alert_common/delivery_queue.hpp"
#include "alert_common/message_template.hpp"
#include "http_client/http_client.hpp"
#include "webhook_body.hpp"
#include "webhook_config.hpp"

#include <tickd/plugin.hpp>

#include <memory>
#include <vector>

namespace tickd::webhook {

class WebhookObserver : public Observer {
 public:
  WebhookObserver();
  // For tests: the wall clock used by cooldowns and the hourly limit.
  explicit WebhookObserver(alerts::AlertEngine::Clock clock);
  ~WebhookObserver() override;

  static ConfigSchema config_schema() { return webhook_config_schema(); }

  void start(Host& host) override;
  void on_tick(const Tick& tick) override;
  void on_signal(const Signal& signal) override;
  void stop() override;
  void metrics(Metrics& out) const override;

  const alerts::AlertCounters& alert_counters() const { return engine_->counters(); }
  const alerts::DeliveryCounters& target_counters(std::size_t i) const;

 private:
  struct Target;
  void deliver(const std::vector<std::pair<std::size_t, alerts::Alert>>& alerts);

  alerts::AlertEngine::Clock clock_;
  Host* host_ = nullptr;
  WebhookConfig config_;
  std::unique_ptr<alerts::AlertEngine> engine_;
  std::vector<std::unique_ptr<alerts::MessageTemplate>> rule_messages_;  // null: the target's
  std::vector<std::unique_ptr<Target>> targets_;
};

}  // namespace tickd::webhook
