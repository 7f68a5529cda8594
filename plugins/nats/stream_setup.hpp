// The JetStream stream that holds closed candles and signals: created when
// missing (if allowed), otherwise checked against the YAML so that a stream
// someone configured differently is a clear error at start, not a silent
// change of retention or replication.
#pragma once

#include "nats/nats_publisher_config.hpp"

#include <nats/nats.h>

#include <string>
#include <vector>

namespace tickd::nats_out {

// The subjects the stream must capture under `prefix`.
std::vector<std::string> stream_subjects(const std::string& prefix);

// Returns "created" or "checked". Throws std::runtime_error listing every
// difference when the existing stream conflicts, or when it cannot be reached.
std::string ensure_stream(jsCtx* js, const StreamSettings& settings, const std::string& prefix);

}  // namespace tickd::nats_out
