// The shared-library entry points of the nats observer plugin.
#include "nats/nats_publisher.hpp"

#include <tickd/plugin.hpp>

TICKD_PLUGIN(tickd::nats_out::NatsPublisher, "nats", "1.0.0",
             "Publishes ticks and candle updates on NATS, closed candles and signals to a JetStream stream")
