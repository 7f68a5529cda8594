#include "smtp_client.hpp"

#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace tickd::email_alert {
namespace {

struct Upload {
  const std::string* data;
  std::size_t offset = 0;
};

std::size_t read_payload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* up = static_cast<Upload*>(user);
  const std::size_t room = size * count;
  const std::size_t left = up->data->size() - up->offset;
  const std::size_t n = left < room ? left : room;
  std::memcpy(buffer, up->data->data() + up->offset, n);
  up->offset += n;
  return n;
}

int check_abort(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(user)->load() ? 1 : 0;
}

struct CurlFree {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

SmtpClient::SmtpClient(SmtpSettings settings) : settings_(std::move(settings)) {}

void SmtpClient::global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw std::runtime_error("curl_global_init failed");
  });
}

SendResult SmtpClient::send(const std::string& from, const std::vector<std::string>& to,
                            const std::string& payload, const std::atomic<bool>& abort) const {
  SendResult result;
  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (!curl) return {SendResult::Kind::retry, false, "curl_easy_init failed"};
  curl_slist* raw_rcpt = nullptr;
  for (const auto& addr : to) raw_rcpt = curl_slist_append(raw_rcpt, ("<" + addr + ">").c_str());
  std::unique_ptr<curl_slist, CurlFree> rcpt(raw_rcpt);
  const std::string mail_from = "<" + from + ">";
  Upload upload{&payload};
  char error[CURL_ERROR_SIZE] = {0};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, settings_.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, &read_payload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_USE_SSL,
                   settings_.use_ssl == UseSsl::all       ? static_cast<long>(CURLUSESSL_ALL)
                   : settings_.use_ssl == UseSsl::try_tls ? static_cast<long>(CURLUSESSL_TRY)
                                                          : static_cast<long>(CURLUSESSL_NONE));
  if (!settings_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, settings_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, settings_.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings_.connect_timeout_ms));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout_ms));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &check_abort);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &abort);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);

  const CURLcode code = curl_easy_perform(c);
  if (code == CURLE_OK) return result;
  long reply = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
  result.error = std::string(curl_easy_strerror(code));
  if (error[0] && result.error != error) result.error += ": " + std::string(error);
  if (reply > 0) result.error += " (last SMTP reply " + std::to_string(reply) + ")";
  switch (code) {
    case CURLE_LOGIN_DENIED:
      result.kind = SendResult::Kind::permanent;
      result.auth_failed = true;
      result.error = "SMTP authentication failed for user '" + settings_.username + "' at " + settings_.url +
                     ": " + result.error + "; check smtp.username and smtp.password";
      break;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_USE_SSL_FAILED:
    case CURLE_NOT_BUILT_IN:
      result.kind = SendResult::Kind::permanent;
      break;
    default:
      // Mailbox/recipient rejections are 5xx replies: retrying cannot help.
      result.kind = reply >= 500 && reply < 600 ? SendResult::Kind::permanent : SendResult::Kind::retry;
  }
  return result;
}

}  // namespace tickd::email_alert
