// Subject and body templates: text with {symbol} {price} {time} {rule} {side}
// {source} {text} {interval} {strength} placeholders; "{{" and "}}" are
// literal braces.
#pragma once

#include "alert.hpp"

#include <string>
#include <vector>

namespace tickd::email_alert {

class MessageTemplate {
 public:
  // Throws std::invalid_argument naming `what` for an unknown placeholder or
  // an unbalanced brace.
  MessageTemplate(const std::string& text, const std::string& what);

  std::string render(const Alert& alert) const;

 private:
  struct Part {
    bool placeholder;
    std::string text;  // literal text or placeholder name
  };
  std::vector<Part> parts_;
};

// 2024-01-02T03:04:05.678Z
std::string format_time_utc(TimeMs time);
// Up to 10 significant digits, no exponent for ordinary prices.
std::string format_price(double price);

}  // namespace tickd::email_alert
