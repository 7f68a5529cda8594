// Builds the RFC 5322 text of an alert email (headers + body, CRLF lines).
#pragma once

#include <tickd/types.hpp>

#include <string>
#include <vector>

namespace tickd::email_alert {

struct MailMessage {
  std::string from;
  std::vector<std::string> to;
  std::string subject;
  std::string body;
  TimeMs date = 0;  // wall clock when queued
};

// Header values are stripped of CR/LF (no header injection); a non-ASCII
// subject is RFC 2047 encoded; body lines longer than SMTP's 998-octet limit
// are split. libcurl adds the SMTP dot-stuffing itself.
std::string render_message(const MailMessage& message, const std::string& message_id);

}  // namespace tickd::email_alert
