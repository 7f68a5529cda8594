// What a feed kind's reader gets: its own sub-block (named like the kind, may
// be absent) and whether it is the selected kind, since a block for another
// kind is allowed (to switch by editing `kind` only) but only checked for form.
// Internal to the loader.
#pragma once

#include "config/config.hpp"
#include "config/yaml_reader.hpp"

#include <optional>
#include <string>

namespace tickd::core {

struct FeedKindContext {
  ErrorCollector& errors;
  const Field& feed;
  std::optional<Field> block;
  bool active;
  bool symbols_readable;  // false when `symbols` had an error of its own already
  const std::string& base_dir;
  FeedConfig& out;

  // The kind's block, or an empty one positioned at `feed` when it is absent.
  Field block_or_empty(std::string_view kind) const {
    return block.value_or(Field{YAML::Node(), feed.mark, child_path(feed.path, kind)});
  }
};

void read_binance(FeedKindContext& ctx);
void read_kite(FeedKindContext& ctx);
void read_smartapi(FeedKindContext& ctx);
void read_nats(FeedKindContext& ctx);

}  // namespace tickd::core
