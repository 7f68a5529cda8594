// Subject and body templates: text with {symbol} {price} {time} {rule} {side}
// {source} {text} {interval} {strength} placeholders; "{{" and "}}" are
// literal braces. A plugin that puts the result into markup (Telegram HTML)
// passes an escape function: it applies to the placeholders' values only, so
// the template's own markup stays as written.
#pragma once

#include "alert_common/alert.hpp"

#include <string>
#include <vector>

namespace tickd::alerts {

class MessageTemplate {
 public:
  // Throws std::invalid_argument naming `what` for an unknown placeholder or
  // an unbalanced brace.
  MessageTemplate(const std::string& text, const std::string& what);

  using Escape = std::string (*)(const std::string&);
  std::string render(const Alert& alert, Escape escape = nullptr) const;

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

}  // namespace tickd::alerts
