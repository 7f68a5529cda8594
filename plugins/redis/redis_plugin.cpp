// The shared-library entry points of the redis storage plugin.
#include "redis/redis_storage.hpp"

#include <tickd/plugin.hpp>

TICKD_PLUGIN(tickd::redis_store::RedisStorage, "redis", "1.0.0",
             "Keeps the newest closed candles per series in Redis lists and publishes each one")
