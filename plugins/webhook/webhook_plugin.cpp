// The shared library's entry points: the webhook observer as plugin "webhook".
#include "webhook_observer.hpp"

TICKD_PLUGIN(
    tickd::webhook::WebhookObserver, "webhook", "1.0.0",
    "POSTs alerts and signals as JSON to webhooks (Slack, Discord or any URL), with retries and signatures")
