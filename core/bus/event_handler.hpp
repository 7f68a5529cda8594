// The bus's view of an observer: something that takes events one at a time.
// The plugin host implements it on top of a loaded plugin.
#pragma once

#include "bus/event.hpp"

#include <string>

namespace tickd::core {

class EventHandler {
 public:
  virtual ~EventHandler() = default;
  // Called on the observer's worker thread. Returns false with `error` set when
  // the observer reported a failure; must not throw.
  virtual bool handle(const Event& event, std::string& error) noexcept = 0;
  // Called once on the worker thread after the last event.
  virtual bool stop(std::string& error) noexcept = 0;
};

}  // namespace tickd::core
