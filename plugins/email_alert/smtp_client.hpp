// Sends one message over SMTP with libcurl (smtp:// with optional STARTTLS, or
// smtps://) and classifies failures as worth retrying or not.
#pragma once

#include "alert_config.hpp"

#include <atomic>
#include <string>
#include <vector>

namespace tickd::email_alert {

struct SendResult {
  enum class Kind { sent, retry, permanent };
  Kind kind = Kind::sent;
  bool auth_failed = false;
  std::string error;  // never contains the password
};

class SmtpClient {
 public:
  explicit SmtpClient(SmtpSettings settings);

  // Blocks up to the configured timeouts; returns early when `abort` is set.
  SendResult send(const std::string& from, const std::vector<std::string>& to, const std::string& payload,
                  const std::atomic<bool>& abort) const;

  // Call once from the main thread before any send (curl_global_init).
  static void global_init();

 private:
  SmtpSettings settings_;
};

}  // namespace tickd::email_alert
