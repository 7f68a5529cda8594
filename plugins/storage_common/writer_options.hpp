// The writer-thread keys every storage plugin's `config:` block shares
// (batch_size, max_delay, max_buffer, retry_initial, retry_max, stop_timeout),
// declared once for the plugins' schemas and read back from the checked block.
#pragma once

#include "storage_common/writer_thread.hpp"

#include <tickd/config_schema.hpp>
#include <tickd/config_view.hpp>

#include <vector>

namespace tickd::storage {

// The keys, with each plugin's own defaults.
std::vector<ConfigKey> writer_option_keys(const WriterOptions& defaults);

// The options from a block checked against those keys; `defaults` supplies
// what is not configurable (the overflow policy).
WriterOptions read_writer_options(const ConfigView& config, WriterOptions defaults);

}  // namespace tickd::storage
