// Starts tests/plugins/email_alert/smtp_sink.py (a real aiosmtpd server) on a
// loopback port and reads the messages it received. Throws if the server does
// not come up, so a test that needs it fails instead of passing vacuously.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace tickd::email_alert::test {

// A port that was free a moment ago on 127.0.0.1.
int free_loopback_port();

class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class SmtpSink {
 public:
  // user/password non-empty: AUTH required with exactly that pair.
  SmtpSink(int port, std::string user = "", std::string password = "");
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  // Received messages so far, in arrival order.
  std::vector<nlohmann::json> messages() const;
  // Waits until at least `count` messages arrived; returns them.
  std::vector<nlohmann::json> wait_for(std::size_t count,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(15)) const;

 private:
  TempDir dir_;
  int pid_ = -1;
};

}  // namespace tickd::email_alert::test
