// One alert that a rule raised: the values its email templates can use.
#pragma once

#include <tickd/types.hpp>

#include <string>

namespace tickd::alerts {

struct Alert {
  std::string rule;  // the alert rule's name
  std::string symbol;
  double price = 0;
  TimeMs time = 0;       // tick time, or the signal's time
  std::string side;      // "up"/"down" for price rules, the signal's side for signals
  std::string source;    // "<observer>/<rule>" for price rules, the signal's source
  std::string text;      // a sentence for price rules, the signal's text for signals
  std::string interval;  // the signal's interval name, empty for price rules
  double strength = 0;
};

}  // namespace tickd::alerts
